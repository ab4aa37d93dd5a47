// user-ui's router (createRouter from @clawden/kit/ui): the app renders every path except the admin
// app's and the API's, which load normally.
import { createRouter } from "@clawden/kit/ui";

export const { currentPath, currentQuery, navigate, onRouteChange } = createRouter({
  ownsPath: (path) => !/^\/(admin|api)(\/|$)/.test(path),
});

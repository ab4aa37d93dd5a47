// admin-ui's router (createRouter from @clawden/kit/ui): the app lives under /admin/, so "/admin/" is
// "/" here; other paths (the user app, sign-in) load normally.
import { createRouter } from "@clawden/kit/ui";

export const { currentPath, navigate, onRouteChange } = createRouter({ base: "/admin" });

// user-ui's entry: the global stylesheet shared with admin-ui (Vite emits it as a file, as the CSP
// requires) and the app.
import "@clawden/kit/ui/styles.css";
import "./user-app.js";

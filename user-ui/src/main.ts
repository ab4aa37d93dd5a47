// user-ui's entry: the global stylesheet (Vite emits it as a file, as the CSP requires) and the app.
import "./styles.css";
import "./user-app.js";

// Vite build and dev server for user-ui. The build goes to dist/, which management-server serves at /.
// The dev server forwards the API (and the built admin-ui) to a running management-server, so the
// browser sees one origin; see README.md for PUBLIC_URL.
import { defaultClientConditions, defineConfig } from "vite";

const api = process.env.CLAWDEN_API_URL ?? "http://127.0.0.1:8080";

export default defineConfig({
  // Workspace packages (@clawden/kit/ui) are bundled from their TypeScript sources.
  resolve: { conditions: ["source", ...defaultClientConditions] },
  base: "/",
  build: { outDir: "dist", emptyOutDir: true, target: "es2022" },
  server: {
    host: "127.0.0.1",
    port: 5173,
    strictPort: true,
    proxy: { "/api": api, "/admin": api },
  },
});

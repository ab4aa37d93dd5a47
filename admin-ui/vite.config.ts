// Vite build and dev server for admin-ui, served under /admin/. The build goes to dist/, which
// management-server serves. The dev server forwards everything outside /admin/ (the API, and the
// built user-ui with its sign-in pages) to a running management-server; see README.md.
import { defaultClientConditions, defineConfig } from "vite";

const api = process.env.CLAWDEN_API_URL ?? "http://127.0.0.1:8080";

export default defineConfig({
  // Workspace packages (@clawden/kit/ui) are bundled from their TypeScript sources.
  resolve: { conditions: ["source", ...defaultClientConditions] },
  base: "/admin/",
  build: { outDir: "dist", emptyOutDir: true, target: "es2022" },
  server: {
    host: "127.0.0.1",
    port: 5174,
    strictPort: true,
    proxy: { "^/(?!admin(/|$))": api },
  },
});

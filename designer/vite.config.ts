import { readdirSync, existsSync } from "node:fs";
import { resolve } from "node:path";
import { defineConfig } from "vite";

// One front end, several pages: every src/pages/NAME/index.html is a page served at /NAME/ by the host
// (designer, and the workspace pages added beside it). Shared code lives in src/lib.
const pages = resolve(import.meta.dirname, "src/pages");
const input = Object.fromEntries(
  readdirSync(pages, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(resolve(pages, d.name, "index.html")))
    .map((d) => [d.name, resolve(pages, d.name, "index.html")]),
);

export default defineConfig({
  root: pages,
  base: "/",
  publicDir: false,
  build: {
    outDir: resolve(import.meta.dirname, "dist"),
    emptyOutDir: true,
    target: "es2022",
    rollupOptions: { input },
    // The editor, the schema support and the layout engine are large; they are split so the page shows first.
    chunkSizeWarningLimit: 1600,
  },
  server: { fs: { allow: [import.meta.dirname] } },
});

import { defineConfig } from "vite";

// The silo serves the built files under /dashboard/ (silo/Dashboard/DashboardEndpoints.cs).
export default defineConfig({
    base: "/dashboard/",
    build: {
        outDir: "dist",
        emptyOutDir: true,
        target: "es2022",
        assetsInlineLimit: 0,
        chunkSizeWarningLimit: 400,
    },
    server: {
        proxy: { "/v1": "http://localhost:5080" },
    },
});

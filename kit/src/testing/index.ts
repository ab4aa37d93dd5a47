export * from "./stub-llm.js";
export * from "./child-server.js";
export * from "./docker-api.js";
export * from "./postgres.js";
export * from "./run.js";
export * from "./ports.js";
export * from "./browser.js";
export * from "./server-frame.js";

export * from "./sealed.js";

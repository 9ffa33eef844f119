export {};
export * from "./certificate/index";

// Service customizations: what botocore's handlers (and the AWS SDKs' service middleware) do for
// particular services and operations beyond their models. Each is a stage the generator attaches
// (codegen/customizations.ts) only to the operations it concerns, so a bundle carries only the
// customizations its operations use (everything here is tree-shakable). Three kinds, run by the
// client (client.ts): input stages rewrite a call's input before it is serialized or presigned,
// returning a copy; request stages are body stages (headers and body after serializing);
// output transforms adjust a parsed output in place.
//
// One module per concern in customizations/; generated code imports each stage from its own
// module (`#runtime/customizations/<module>`: a bundler never even sees the others, nor their
// lazily imported chunks), and this module gathers them all (the Node core serves them from here).
export * from "./customizations/route53.js";
export * from "./customizations/apigateway.js";
export * from "./customizations/source-region.js";
export * from "./customizations/s3.js";
export * from "./customizations/response-checksums.js";
export * from "./customizations/glacier.js";
export * from "./customizations/ec2.js";
export * from "./customizations/recursion-detection.js";
export * from "./customizations/cloudsearchdomain.js";
export * from "./customizations/machinelearning.js";
export * from "./customizations/endpoint-discovery.js";
export * from "./customizations/s3-region.js";

// rest-xml (botocore's RestXMLSerializer / RestXMLParser): the REST HTTP binding
// (http-binding.ts) with an XML body codec (xml.ts).
//
// Body members form one document whose root is the input's wire name (`ln`: the
// operation's input locationName or the structure's own) else its shape name, with the
// input's xmlNamespace declared on it. A structure payload is a document whose root is
// the payload member's locationName, else the target's locationName, else its shape name.
// Errors are `<ErrorResponse><Error>...</Error><RequestId/>` or, for S3, `<Error>` at the
// root; S3 may also send such an `<Error>` document with status 200, which `isErrorBody`
// detects so the client can route it to `parseError`. A modeled error's members may come
// from headers as well as the `<Error>` element.
import type { Member, StructureShape } from "../schema.js";
import { kind, target, traits } from "../schema.js";
import type { BodyCodec } from "./http-binding.js";
import { bodyMembers, parseRest, readHttpBindings, serializeRest } from "./http-binding.js";
import { convertResponse, findErrorClass } from "./json-codec.js";
import type { ParsedError, Protocol } from "./types.js";
import {
  findXmlError,
  loadXmlParser,
  localName,
  memberElementName,
  parseErrorDocument,
  parseXml,
  readXmlStructure,
  readXmlValue,
  writeXmlDocument,
  writeXmlValue,
} from "./xml.js";
import type { XmlElement } from "./xml.js";

export { isErrorBody, xmlRequestId } from "./xml.js";

function rootName(shape: StructureShape, fallback: string): string {
  return shape.ln ?? shape.n ?? fallback;
}

/**
 * Reads body members from the document root. A document whose root is itself one of the
 * scalar members (S3 GetBucketLocation's bare `<LocationConstraint>`) is read as that member.
 */
function readRoot(shape: StructureShape, root: XmlElement, members: readonly string[]): Record<string, unknown> {
  if (root.children.length === 0) {
    for (const name of members) {
      const member = shape.m[name];
      if (member === undefined || traits(member).xa || kind(target(member)) > 7) continue;
      if (localName(memberElementName(name, member)) === localName(root.name)) {
        return { ...readXmlStructure(shape, root, members.filter((m) => m !== name)), [name]: readXmlValue(member, root) };
      }
    }
  }
  return readXmlStructure(shape, root, members);
}

/** Parses an XML body and reads it; values that do not convert become ResponseParseError. */
function readDocument(body: Uint8Array, statusCode: number, read: (root: XmlElement) => unknown): unknown {
  const root = parseXml(body, statusCode);
  return convertResponse(statusCode, () => read(root));
}

export const xmlBodyCodec: BodyCodec = {
  contentType: "application/xml",
  writeBody(input, value, members) {
    return writeXmlDocument(rootName(input, "Request"), input, value, input.x, members);
  },
  writePayload(member: Member, name: string, value: unknown) {
    if (value === undefined) return undefined;
    // The member's namespace, else a structure's own, is declared on the payload's root.
    const shape = target(member);
    return writeXmlValue(traits(member).n ?? (kind(shape) === 8 ? rootName(shape as StructureShape, name) : name), member, value);
  },
  readBody(shape, body, members, statusCode) {
    return readDocument(body, statusCode, (root) => readRoot(shape, root, members)) as Record<string, unknown>;
  },
  readPayload(member, _name, body, statusCode) {
    return readDocument(body, statusCode, (root) => readXmlValue(member, root));
  },
};

export const protocol: Protocol = {
  serialize(_service, op, input, ctx) {
    return serializeRest(xmlBodyCodec, op, input, ctx);
  },

  load: loadXmlParser,

  errorIn200(b) {
    // `<Error>` as the root element, after whitespace and an optional XML declaration.
    const skipSpace = (i: number): number => {
      while (b[i] === 0x20 || b[i] === 0x0a || b[i] === 0x0d || b[i] === 0x09) i++;
      return i;
    };
    let i = skipSpace(0);
    if (b[i] === 0x3c && b[i + 1] === 0x3f) i = skipSpace(b.indexOf(0x3e, i) + 1);
    return String.fromCharCode(...b.subarray(i, i + 7)) === "<Error>";
  },

  parse(_service, op, response) {
    return parseRest(xmlBodyCodec, op, response);
  },

  parseError(service, op, response) {
    const status = response.statusCode;
    const root = parseErrorDocument(response.body, status);
    const found = root ? findXmlError(root) : undefined;
    // No error code: no error document (S3 HEAD responses have no body; proxies send HTML).
    const code = found?.code;
    const parsed: ParsedError = { code: code ?? `Http${status}`, fields: {} };
    if (found?.message !== undefined) parsed.message = found.message;
    if (code !== undefined && found!.type !== undefined) parsed.type = found!.type;
    const requestId = found?.requestId ?? response.headers["x-amz-request-id"] ?? response.headers["x-amzn-requestid"];
    if (requestId !== undefined) parsed.requestId = requestId;
    const errorClass = code === undefined ? undefined : findErrorClass(service, op, code);
    if (errorClass) {
      const shape = errorClass.$s;
      parsed.errorClass = errorClass;
      parsed.fields = convertResponse(status, () => ({
        ...readXmlStructure(shape, found!.error, bodyMembers(shape)),
        ...readHttpBindings(shape, response),
      }));
    }
    return parsed;
  },
};

/**
 * The export artifact's bytes: `JAXTSEXP` (8 bytes), the format version (u32 LE), the header's
 * length (u32 LE), an FNV-1a checksum of everything after these 16 bytes (u32 LE), the header
 * (UTF-8 JSON: the jaxpr, avals, trees and array table), then the arrays' bytes, each at an
 * offset the header names (little-endian element storage; float16 as its bits, complex as
 * interleaved parts, bool as 0/1 bytes). Reading checks the magic, version, lengths, checksum
 * and every array's extent before anything is decoded.
 */
import { ValueError } from "../../core/errors.js";
import { type Json, bad } from "./codec.js";

export const MAGIC = "JAXTSEXP";
/** The version this build writes and the newest it reads. */
export const FORMAT_VERSION = 1;
const PREFIX = 20;

function fnv1a(bytes: Uint8Array, from: number): number {
  let h = 0x811c9dc5;
  for (let i = from; i < bytes.length; i++) {
    h ^= bytes[i]!;
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Header plus the arrays' raw bytes in one buffer. */
export function writeContainer(header: Json, payloads: readonly Uint8Array[]): Uint8Array {
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const dataLength = payloads.reduce((s, p) => s + p.length, 0);
  const out = new Uint8Array(PREFIX + headerBytes.length + dataLength);
  const view = new DataView(out.buffer);
  for (let i = 0; i < MAGIC.length; i++) out[i] = MAGIC.charCodeAt(i);
  view.setUint32(8, FORMAT_VERSION, true);
  view.setUint32(12, headerBytes.length, true);
  out.set(headerBytes, PREFIX);
  let at = PREFIX + headerBytes.length;
  for (const p of payloads) {
    out.set(p, at);
    at += p.length;
  }
  view.setUint32(16, fnv1a(out, PREFIX), true);
  return out;
}

/** The header (parsed JSON) and the data section of an artifact, after every framing check. */
export function readContainer(bytes: unknown): { header: unknown; data: Uint8Array } {
  if (!(bytes instanceof Uint8Array)) {
    throw new ValueError(
      `deserialize expects the Uint8Array that Exported.serialize() returned, got ${
        bytes === null ? "null" : typeof bytes
      }.`,
    );
  }
  if (bytes.length < PREFIX) throw bad(`it is ${bytes.length} bytes, shorter than its header`);
  for (let i = 0; i < MAGIC.length; i++) {
    if (bytes[i] !== MAGIC.charCodeAt(i)) {
      throw new ValueError(
        "Cannot deserialize: the bytes do not start with the jaxts export magic 'JAXTSEXP' " +
          "(they are not an artifact of Exported.serialize()).",
      );
    }
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version > FORMAT_VERSION || version < 1) {
    throw new ValueError(
      `Cannot deserialize an artifact of export format version ${version}: this jaxts reads ` +
        `versions 1 to ${FORMAT_VERSION}. Export it again with this version of jaxts.`,
    );
  }
  const headerLength = view.getUint32(12, true);
  if (PREFIX + headerLength > bytes.length) {
    throw bad(
      `the header claims ${headerLength} bytes but only ${bytes.length - PREFIX} follow (truncated)`,
    );
  }
  if (view.getUint32(16, true) !== fnv1a(bytes, PREFIX)) {
    throw bad("its checksum does not match its contents (truncated or corrupted)");
  }
  let header: unknown;
  try {
    header = JSON.parse(
      new TextDecoder("utf-8", { fatal: true }).decode(
        bytes.subarray(PREFIX, PREFIX + headerLength),
      ),
    );
  } catch {
    throw bad("its header is not valid UTF-8 JSON");
  }
  return { header, data: bytes.subarray(PREFIX + headerLength) };
}

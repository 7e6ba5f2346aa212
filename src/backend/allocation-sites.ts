/**
 * Creation sites of device buffers, for `memoryStats({ bySite: true })`: while recording is on
 * (`setRecordingSites`), a device notes a short stack — the first frames outside this library —
 * for each buffer it creates, and forgets it when the buffer is freed. Off, nothing is captured.
 */
import type { SiteStats } from "./device.js";

let recording = false;

/** Whether creation sites are being recorded. */
export function isRecordingSites(): boolean {
  return recording;
}

/** Record the creation site of buffers created from now on (or stop). */
export function setRecordingSites(on: boolean): void {
  recording = on;
}

/** This library's root folder (src/ or dist/), as a URL and as a path: its frames are skipped. */
const root = new URL("../", import.meta.url);
const rootForms = [root.href, decodeURIComponent(root.pathname)];
const isLibraryFrame = (frame: string): boolean => rootForms.some((r) => frame.includes(r));
/** Frames of the engine's built-ins (Array.map, Node's module loader): no caller's code. */
const isBuiltinFrame = (frame: string): boolean => /\((<anonymous>|node:)|^node:/.test(frame);

/** Frames kept per site. */
const SITE_FRAMES = 3;

function captureSite(): string {
  const E = Error as { stackTraceLimit?: number };
  const limit = E.stackTraceLimit;
  E.stackTraceLimit = 64;
  const stack = new Error().stack ?? "";
  E.stackTraceLimit = limit;
  const frames = stack
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l.startsWith("at ") || l.includes("@"))
    .map((l) => l.replace(/^at /, ""));
  const outside = frames.filter((f) => !isLibraryFrame(f) && !isBuiltinFrame(f));
  const kept = (outside.length ? outside : frames).slice(0, SITE_FRAMES);
  return kept.length ? kept.join(" < ") : "(unknown)";
}

/** A device's live buffers with a recorded site. */
export class SiteTable<K extends object> {
  private readonly sites = new Map<K, { site: string; bytes: number }>();

  /** A buffer was created: note its site if recording. */
  note(buffer: K, bytes: number): void {
    if (recording) this.sites.set(buffer, { site: captureSite(), bytes });
  }

  /** A buffer was freed. */
  drop(buffer: K): void {
    if (this.sites.size) this.sites.delete(buffer);
  }

  /** Live recorded buffers grouped by site, most bytes first. */
  summary(): SiteStats[] {
    const by = new Map<string, { site: string; buffers: number; bytes: number }>();
    for (const { site, bytes } of this.sites.values()) {
      const e = by.get(site) ?? { site, buffers: 0, bytes: 0 };
      e.buffers++;
      e.bytes += bytes;
      by.set(site, e);
    }
    return [...by.values()].sort((a, b) => b.bytes - a.bytes || a.site.localeCompare(b.site));
  }
}

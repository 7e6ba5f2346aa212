/** The byte buffer the encoder writes into: LEB128 integers, IEEE-754 floats, names. */
const scratchView = new DataView(new ArrayBuffer(8));

/** Growable byte buffer with the primitive encodings used by the binary format. */
export class ByteWriter {
  private buf: Uint8Array<ArrayBuffer> = new Uint8Array(256);
  private len = 0;

  get length(): number {
    return this.len;
  }

  private ensure(extra: number): void {
    if (this.len + extra <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + extra) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  byte(b: number): this {
    this.ensure(1);
    this.buf[this.len++] = b & 0xff;
    return this;
  }

  bytes(bs: ArrayLike<number>): this {
    this.ensure(bs.length);
    for (let i = 0; i < bs.length; i++) this.buf[this.len++] = bs[i]! & 0xff;
    return this;
  }

  /** Unsigned LEB128 of a non-negative integer < 2^32. */
  u32(v: number): this {
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff)
      throw new RangeError(`u32 out of range: ${v}`);
    do {
      let b = v % 128;
      v = Math.floor(v / 128);
      if (v !== 0) b |= 0x80;
      this.byte(b);
    } while (v !== 0);
    return this;
  }

  /** Signed LEB128 of a 32-bit integer (accepts -2^31 .. 2^32-1; the latter wraps). */
  s32(v: number): this {
    if (!Number.isInteger(v) || v < -0x80000000 || v > 0xffffffff)
      throw new RangeError(`i32 out of range: ${v}`);
    v |= 0; // wrap to signed 32-bit
    while (true) {
      const b = v & 0x7f;
      v >>= 7;
      if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) {
        this.byte(b);
        return this;
      }
      this.byte(b | 0x80);
    }
  }

  /** Signed LEB128 of a 64-bit integer (accepts -2^63 .. 2^64-1; the latter wraps). */
  s64(value: bigint | number): this {
    let v = BigInt.asIntN(64, BigInt(value));
    while (true) {
      const b = Number(v & 0x7fn);
      v >>= 7n;
      if ((v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0)) {
        this.byte(b);
        return this;
      }
      this.byte(b | 0x80);
    }
  }

  f32(v: number): this {
    scratchView.setFloat32(0, v, true);
    for (let i = 0; i < 4; i++) this.byte(scratchView.getUint8(i));
    return this;
  }

  f64(v: number): this {
    scratchView.setFloat64(0, v, true);
    for (let i = 0; i < 8; i++) this.byte(scratchView.getUint8(i));
    return this;
  }

  /** A name: u32 byte length followed by UTF-8 bytes. */
  name(s: string): this {
    const utf8 = new TextEncoder().encode(s);
    this.u32(utf8.length);
    return this.bytes(utf8);
  }

  /** Length-prefixed copy of another writer (used for sections and function bodies). */
  sized(w: ByteWriter): this {
    this.u32(w.length);
    return this.bytes(w.toBytes());
  }

  toBytes(): Uint8Array<ArrayBuffer> {
    return this.buf.slice(0, this.len);
  }
}

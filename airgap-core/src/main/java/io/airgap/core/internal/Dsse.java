package io.airgap.core.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The DSSE v1 pre-authentication encoding, the exact bytes a DSSE signature covers, and the faulty
 * encoding {@code model_signing} 0.2 signed over, which verification still accepts for the
 * statements that release wrote.
 */
public final class Dsse {
  /** The payload type of an in-toto statement. */
  public static final String IN_TOTO_PAYLOAD_TYPE = "application/vnd.in-toto+json";

  private Dsse() {}

  /**
   * {@code "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body}, lengths as ASCII decimal byte
   * counts (DSSE protocol.md).
   */
  public static byte[] pae(String payloadType, byte[] payload) {
    ByteArrayOutputStream out = header("DSSEv1", payloadType, payload.length);
    out.writeBytes(payload);
    return out.toByteArray();
  }

  /**
   * The encoding {@code model_signing} 0.2 signed over instead of the DSSE one (its {@code
   * pae_compat}): {@code "DSSEV1" SP LEN(type) SP type SP LEN(body) SP repr(body)}, where {@code
   * repr} is Python's literal of the body bytes ({@code b'...'}, escaped) and {@code LEN(body)}
   * counts the body's own bytes. The capital {@code V} makes it differ from a DSSE encoding from
   * the first bytes, so no message is both. Never used for signing.
   */
  public static byte[] modelSigningV02Pae(String payloadType, byte[] payload) {
    ByteArrayOutputStream out = header("DSSEV1", payloadType, payload.length);
    writePythonBytesLiteral(payload, out);
    return out.toByteArray();
  }

  /** {@code magic SP LEN(type) SP type SP LEN(body) SP}, the part both encodings share. */
  private static ByteArrayOutputStream header(String magic, String payloadType, int bodyLength) {
    byte[] type = payloadType.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream(type.length + 2 * bodyLength + 32);
    out.writeBytes((magic + " " + type.length + " ").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(type);
    out.writeBytes((" " + bodyLength + " ").getBytes(StandardCharsets.US_ASCII));
    return out;
  }

  /**
   * Writes what Python's {@code repr()} gives for a {@code bytes} value (CPython {@code
   * PyBytes_Repr}): single quotes unless the bytes hold a single quote and no double quote; the
   * quote and backslash escaped; tab, newline and carriage return as {@code \t \n \r}; other bytes
   * outside printable ASCII as lowercase {@code \xhh}.
   */
  private static void writePythonBytesLiteral(byte[] bytes, ByteArrayOutputStream out) {
    boolean singleQuotes = false;
    boolean doubleQuotes = false;
    for (byte b : bytes) {
      singleQuotes |= b == '\'';
      doubleQuotes |= b == '"';
    }
    char quote = singleQuotes && !doubleQuotes ? '"' : '\'';
    out.write('b');
    out.write(quote);
    for (byte b : bytes) {
      int c = b & 0xff;
      if (c == quote || c == '\\') {
        out.write('\\');
        out.write(c);
      } else if (c == '\t') {
        out.write('\\');
        out.write('t');
      } else if (c == '\n') {
        out.write('\\');
        out.write('n');
      } else if (c == '\r') {
        out.write('\\');
        out.write('r');
      } else if (c < 0x20 || c >= 0x7f) {
        out.write('\\');
        out.write('x');
        out.write(HEX[c >> 4]);
        out.write(HEX[c & 0xf]);
      } else {
        out.write(c);
      }
    }
    out.write(quote);
  }

  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
}

package io.airgap.audit.note;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * C2SP signed notes: a text ending in a newline, a blank line, and signature lines {@code "— name
 * base64(keyid || signature)"}. Stateless and thread-safe.
 */
public final class SignedNote {
  /** Most signature lines a note may carry (the Go note package's limit). */
  public static final int MAX_SIGNATURES = 100;

  private static final String DASH = "\u2014 ";

  private SignedNote() {}

  /**
   * Signs a text with one key.
   *
   * @throws NoteException when the text does not end in a newline or holds control characters
   */
  public static String sign(String text, NoteSigner signer) {
    checkText(text);
    byte[] signature = signer.sign(text.getBytes(StandardCharsets.UTF_8));
    ByteBuffer line = ByteBuffer.allocate(4 + signature.length);
    line.putInt(signer.verifier().keyId()).put(signature);
    return text
        + "\n"
        + DASH
        + signer.name()
        + " "
        + Base64.getEncoder().encodeToString(line.array())
        + "\n";
  }

  /**
   * Verifies a note and returns its text: signatures by unknown keys are ignored, a signature by a
   * known key must verify, and at least one known key must have signed.
   *
   * @throws NoteException naming the malformed part
   * @throws NoteSignatureException when no known key signed, or a known key's signature fails
   */
  public static String open(byte[] note, List<NoteVerifier> verifiers) {
    String message = decode(note);
    int split = message.lastIndexOf("\n\n");
    if (split < 0) {
      throw new NoteException("malformed note: no blank line before the signatures");
    }
    String text = message.substring(0, split + 1);
    String signatures = message.substring(split + 2);
    if (signatures.isEmpty() || !signatures.endsWith("\n")) {
      throw new NoteException("malformed note: the signature lines must end with a newline");
    }
    String[] lines = signatures.substring(0, signatures.length() - 1).split("\n", -1);
    if (lines.length > MAX_SIGNATURES) {
      throw new NoteException("malformed note: more than " + MAX_SIGNATURES + " signatures");
    }
    byte[] signed = text.getBytes(StandardCharsets.UTF_8);
    boolean verified = false;
    for (String line : lines) {
      verified |= checkLine(line, signed, verifiers);
    }
    if (!verified) {
      throw new NoteSignatureException(
          "no signature on the note is by a known key " + names(verifiers));
    }
    return text;
  }

  private static boolean checkLine(String line, byte[] signed, List<NoteVerifier> verifiers) {
    if (!line.startsWith(DASH)) {
      throw new NoteException("malformed note: a signature line must start with '— '");
    }
    String rest = line.substring(DASH.length());
    int space = rest.indexOf(' ');
    if (space <= 0) {
      throw new NoteException("malformed note: a signature line needs a key name and a signature");
    }
    String name = rest.substring(0, space);
    byte[] decoded;
    try {
      decoded = strictBase64(rest.substring(space + 1));
    } catch (IllegalArgumentException e) {
      throw new NoteException("malformed note: the signature of '" + name + "' is not base64");
    }
    if (decoded.length < 5) {
      throw new NoteException("malformed note: the signature of '" + name + "' is too short");
    }
    int keyId = ByteBuffer.wrap(decoded, 0, 4).getInt();
    for (NoteVerifier verifier : verifiers) {
      if (verifier.name().equals(name) && verifier.keyId() == keyId) {
        if (!verifier.verifies(signed, Arrays.copyOfRange(decoded, 4, decoded.length))) {
          throw new NoteSignatureException("invalid signature for key " + verifier);
        }
        return true;
      }
    }
    return false;
  }

  /**
   * Decodes standard base64 strictly: the text must be exactly the canonical encoding of what it
   * decodes to, so no unused bit or padding can change without notice.
   *
   * @throws IllegalArgumentException when it is not canonical base64
   */
  public static byte[] strictBase64(String text) {
    byte[] bytes = Base64.getDecoder().decode(text);
    if (!Base64.getEncoder().encodeToString(bytes).equals(text)) {
      throw new IllegalArgumentException("not canonical base64");
    }
    return bytes;
  }

  private static String names(List<NoteVerifier> verifiers) {
    return verifiers.stream().map(NoteVerifier::toString).toList().toString();
  }

  private static String decode(byte[] note) {
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(note))
              .toString();
    } catch (CharacterCodingException e) {
      throw new NoteException("malformed note: not UTF-8");
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 && c != '\n') {
        throw new NoteException("malformed note: control character at offset " + i);
      }
    }
    return text;
  }

  private static void checkText(String text) {
    if (!text.endsWith("\n")) {
      throw new NoteException("a note text must end with a newline");
    }
    decode(text.getBytes(StandardCharsets.UTF_8));
  }
}

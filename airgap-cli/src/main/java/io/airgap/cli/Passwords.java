package io.airgap.cli;

import io.airgap.core.InputException;
import io.airgap.core.signing.Pem;
import io.airgap.core.signing.SigningKey;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** Reads private keys, with their password from a file when they are encrypted. */
final class Passwords {
  private static final int MAX_PASSWORD_BYTES = 4096;

  private Passwords() {}

  /** Reads a private key; the password (first line of {@code passwordFile}) is wiped after use. */
  static SigningKey readSigningKey(Path privateKey, Path passwordFile) {
    if (passwordFile == null) {
      return Pem.readSigningKey(privateKey, null);
    }
    char[] password = readPassword(passwordFile);
    try {
      return Pem.readSigningKey(privateKey, password);
    } finally {
      Arrays.fill(password, '\0');
    }
  }

  private static char[] readPassword(Path file) {
    byte[] bytes = null;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(MAX_PASSWORD_BYTES + 1);
      if (bytes.length > MAX_PASSWORD_BYTES) {
        throw new InputException(
            "password file " + file + " is longer than " + MAX_PASSWORD_BYTES + " bytes");
      }
      int end = 0;
      while (end < bytes.length && bytes[end] != '\n' && bytes[end] != '\r') {
        end++;
      }
      CharBuffer chars = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(bytes, 0, end));
      char[] password = new char[chars.remaining()];
      chars.get(password);
      Arrays.fill(chars.array(), '\0');
      return password;
    } catch (IOException e) {
      throw new InputException("cannot read password file " + file + ": " + e.getMessage(), e);
    } finally {
      if (bytes != null) {
        Arrays.fill(bytes, (byte) 0);
      }
    }
  }
}

package io.weir.journal.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * File-system safe directory names for persistence ids: letters, digits, {@code _} and {@code
 * -} are kept, {@code .} is kept except in front, every other UTF-8 byte becomes {@code %XX}.
 * Names longer than {@value #MAX_LENGTH} characters are cut and suffixed with a SHA-256 digest
 * of the id, so distinct ids never share a directory. Stateless.
 */
final class DirectoryNames {
  static final int MAX_LENGTH = 200;

  private DirectoryNames() {}

  /** The directory name of {@code persistenceId}; never null or empty. */
  static String of(String persistenceId) {
    byte[] bytes = persistenceId.getBytes(StandardCharsets.UTF_8);
    StringBuilder name = new StringBuilder(bytes.length + 8);
    for (byte b : bytes) {
      char c = (char) (b & 0xff);
      boolean keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '_' || c == '-' || (c == '.' && name.length() > 0);
      if (keep) {
        name.append(c);
      } else {
        name.append('%').append(HexFormat.of().withUpperCase().toHexDigits(b));
      }
    }
    if (name.length() == 0) {
      return "%";
    }
    if (name.length() <= MAX_LENGTH) {
      return name.toString();
    }
    return name.substring(0, MAX_LENGTH - 65) + "~" + sha256(bytes);
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}

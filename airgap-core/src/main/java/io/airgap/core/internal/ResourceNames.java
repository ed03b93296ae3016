package io.airgap.core.internal;

import io.airgap.core.FormatException;
import java.text.Normalizer;
import java.util.Comparator;

/**
 * Rules for the relative names of model files, which arrive in hostile documents.
 *
 * <p>A name is {@code /}-separated and relative: no leading {@code /}, no empty, {@code .} or
 * {@code ..} segment, no backslash (another platform's separator), no NUL, no unpaired surrogate.
 * Names are compared in Unicode NFC form, so two names that differ only in normalisation are the
 * same name.
 */
public final class ResourceNames {
  /** Orders names by Unicode code point, as Python orders {@code str}. */
  public static final Comparator<String> CODE_POINT_ORDER = ResourceNames::compareCodePoints;

  private ResourceNames() {}

  /**
   * Checks a relative file name.
   *
   * @param where names the document or directory the name comes from, for the error message
   * @throws FormatException saying which rule the name breaks
   */
  public static void check(String name, String where) {
    String problem = problem(name);
    if (problem != null) {
      throw new FormatException(where + ": file name '" + printable(name) + "' " + problem);
    }
  }

  /** Returns the rule {@code name} breaks, or {@code null} when it is a valid relative name. */
  static String problem(String name) {
    if (name.isEmpty()) {
      return "is empty";
    }
    if (name.indexOf('\0') >= 0) {
      return "contains a NUL character";
    }
    if (name.indexOf('\\') >= 0) {
      return "contains a backslash";
    }
    if (name.startsWith("/")) {
      return "is absolute (starts with /)";
    }
    for (String segment : name.split("/", -1)) {
      if (segment.isEmpty()) {
        return "has an empty path segment";
      }
      if (segment.equals("..")) {
        return "has a '..' segment that escapes the model directory";
      }
      if (segment.equals(".")) {
        return "has a '.' segment";
      }
    }
    if (!isWellFormedUnicode(name)) {
      return "is not valid Unicode (unpaired surrogate)";
    }
    if (name.indexOf('\uFFFD') >= 0) {
      return "contains U+FFFD: its bytes are not valid in the file name encoding (UTF-8)";
    }
    return null;
  }

  /** The NFC form used to compare names. */
  public static String normalize(String name) {
    return Normalizer.normalize(name, Normalizer.Form.NFC);
  }

  private static boolean isWellFormedUnicode(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
          return false;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  private static int compareCodePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }

  /** Device names Windows reserves (com¹ to com³ and lpt¹ to lpt³ too). */
  private static final java.util.regex.Pattern WINDOWS_DEVICE =
      java.util.regex.Pattern.compile(
          "(?i)con|prn|aux|nul|conin\\$|conout\\$|(com|lpt)[0-9\u00b9\u00b2\u00b3]");

  /**
   * Whether Windows reads a file name (one path segment) as a device: {@code NUL}, {@code
   * com1.txt}, {@code nul .txt}, {@code aux.tar.gz}; Windows looks at the part before the first
   * dot, trailing spaces trimmed. Written there, such a file's bytes go nowhere.
   */
  public static boolean isWindowsDevice(String segment) {
    String base = segment.split("\\.", -1)[0].stripTrailing();
    return WINDOWS_DEVICE.matcher(base).matches();
  }

  /**
   * Escapes control characters and shortens very long text, so a hostile name or field cannot forge
   * lines in a message or log, nor flood it.
   */
  public static String printable(String name) {
    if (name.length() > 300) {
      return printable(name.substring(0, 300)) + "...(" + name.length() + " characters)";
    }
    StringBuilder out = new StringBuilder(name.length());
    name.codePoints()
        .forEach(
            cp -> {
              if (cp < 0x20 || cp == 0x7f) {
                out.append(String.format("\\x%02x", cp));
              } else {
                out.appendCodePoint(cp);
              }
            });
    return out.toString();
  }
}

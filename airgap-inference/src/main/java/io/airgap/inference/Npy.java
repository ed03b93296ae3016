package io.airgap.inference;

import io.airgap.core.AtomicFiles;
import io.airgap.core.FormatException;
import io.airgap.core.InputException;
import io.airgap.core.internal.ResourceNames;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes NumPy {@code .npy} files (format versions 1.0, 2.0 and 3.0) as {@link Tensor}s:
 * the element types a tensor can hold, in either byte order, C order only. Object arrays (which
 * hold pickles) and Fortran order are refused, as is any header or size that does not add up.
 * Strings are NumPy's fixed-width unicode ({@code <U n}, UTF-32). Stateless and thread-safe.
 */
public final class Npy {
  /** The largest file read, in bytes (just under 2 GiB, a Java array's limit). */
  public static final long MAX_BYTES = Integer.MAX_VALUE - 8;

  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final int MAX_HEADER = 65_536;
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  private Npy() {}

  /**
   * Reads a {@code .npy} file.
   *
   * @throws FormatException naming the file and what is wrong with it
   * @throws InputException when it cannot be read
   */
  public static Tensor read(Path file) {
    // Read with a bound rather than trusting the size a FIFO, /dev/stdin or /proc file reports (0).
    try (java.io.InputStream in = Files.newInputStream(file)) {
      byte[] bytes = in.readNBytes((int) MAX_BYTES);
      if (bytes.length == MAX_BYTES && in.read() != -1) {
        throw new FormatException(
            file + ": more than " + MAX_BYTES + " bytes, more than a .npy tensor may hold");
      }
      return parse(bytes, file.toString());
    } catch (IOException e) {
      throw new InputException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Parses {@code .npy} bytes.
   *
   * @param where names the source in errors
   * @throws FormatException when the bytes are not a supported .npy array
   */
  public static Tensor parse(byte[] bytes, String where) {
    ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    if (bytes.length < 10 || !startsWithMagic(bytes)) {
      throw new FormatException(where + ": not a .npy file (no \\x93NUMPY magic)");
    }
    int major = bytes[6];
    int headerLength;
    int offset;
    if (major == 1) {
      headerLength = Short.toUnsignedInt(in.getShort(8));
      offset = 10;
    } else if (major == 2 || major == 3) {
      if (bytes.length < 12) {
        throw new FormatException(where + ": truncated .npy header");
      }
      headerLength = in.getInt(8);
      offset = 12;
    } else {
      throw new FormatException(where + ": .npy format version " + major + " is not supported");
    }
    if (headerLength < 0 || headerLength > MAX_HEADER || offset + headerLength > bytes.length) {
      throw new FormatException(
          where + ": .npy header length " + headerLength + " does not fit the file");
    }
    String header =
        new String(
            bytes,
            offset,
            headerLength,
            major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    Header parsed = header(header, where);
    int dataStart = offset + headerLength;
    return tensor(
        parsed, ByteBuffer.wrap(bytes, dataStart, bytes.length - dataStart).slice(), where);
  }

  private static boolean startsWithMagic(byte[] bytes) {
    for (int i = 0; i < MAGIC.length; i++) {
      if (bytes[i] != MAGIC[i]) {
        return false;
      }
    }
    return true;
  }

  /** A parsed header: dtype, byte order and shape. */
  private record Header(String descr, long[] shape) {}

  private static Header header(String header, String where) {
    Matcher descr = DESCR.matcher(header);
    Matcher fortran = FORTRAN.matcher(header);
    Matcher shape = SHAPE.matcher(header);
    if (!descr.find() || !fortran.find() || !shape.find()) {
      throw new FormatException(
          where + ": .npy header lacks descr, fortran_order or shape: " + header.trim());
    }
    if (fortran.group(1).equals("True")) {
      throw new FormatException(
          where + ": Fortran-order arrays are not supported; save with order='C'");
    }
    List<Long> dims = new ArrayList<>();
    for (String part : shape.group(1).split(",")) {
      String dim = part.trim();
      if (!dim.isEmpty()) {
        try {
          dims.add(Long.parseLong(dim));
        } catch (NumberFormatException e) {
          throw new FormatException(
              where + ": .npy shape has a non-integer dimension '" + dim + "'");
        }
      }
    }
    long[] dimensions = dims.stream().mapToLong(Long::longValue).toArray();
    try {
      Tensor.checkShape(dimensions);
    } catch (IllegalArgumentException e) {
      throw new FormatException(where + ": " + e.getMessage());
    }
    for (Pattern key : List.of(DESCR, FORTRAN, SHAPE)) {
      if (key.matcher(header).results().count() > 1) {
        // NumPy would take the last, a first-match reader the first: refuse rather than differ.
        throw new FormatException(where + ": .npy header names a key twice: " + header.trim());
      }
    }
    return new Header(descr.group(1), dimensions);
  }

  private static Tensor tensor(Header header, ByteBuffer data, String where) {
    String descr = header.descr();
    long count = Tensor.checkShape(header.shape());
    if (descr.length() < 2) {
      throw new FormatException(where + ": .npy dtype '" + descr + "' is not supported");
    }
    char order = descr.charAt(0);
    String kind = descr.substring(1);
    ByteOrder byteOrder = order == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    if (order != '<' && order != '>' && order != '|' && order != '=') {
      throw new FormatException(where + ": .npy dtype '" + descr + "' has no byte order");
    }
    if (kind.startsWith("U")) {
      return strings(header, data, kind, byteOrder, count, where);
    }
    ElementType type = elementType(kind);
    if (type == null) {
      throw new FormatException(
          where
              + ": .npy dtype '"
              + descr
              + "' is not supported (float16/32/64, int8/32/64, uint8, bool and unicode are"
              + (kind.startsWith("O") ? "; object arrays hold pickles and are never read)" : ")"));
    }
    long expected = count * type.bytesPerElement();
    if (data.remaining() != expected) {
      throw new FormatException(
          where
              + ": .npy data holds "
              + data.remaining()
              + " bytes, shape and dtype need "
              + expected);
    }
    ByteBuffer direct = ByteBuffer.allocateDirect((int) expected).order(ByteOrder.nativeOrder());
    data.order(byteOrder);
    int width = type.bytesPerElement();
    for (int i = 0; i < count; i++) {
      switch (width) {
        case 1 -> direct.put(data.get());
        case 2 -> direct.putShort(data.getShort());
        case 4 -> direct.putInt(data.getInt());
        default -> direct.putLong(data.getLong());
      }
    }
    direct.clear();
    if (type == ElementType.BOOL) {
      for (int i = 0; i < count; i++) {
        if (direct.get(i) != 0 && direct.get(i) != 1) {
          throw new FormatException(where + ": .npy bool element " + i + " is neither 0 nor 1");
        }
      }
    }
    return Tensor.wrap(type, header.shape(), direct);
  }

  private static ElementType elementType(String kind) {
    return switch (kind) {
      case "f2" -> ElementType.FLOAT16;
      case "f4" -> ElementType.FLOAT;
      case "f8" -> ElementType.DOUBLE;
      case "i1" -> ElementType.INT8;
      case "u1" -> ElementType.UINT8;
      case "i4" -> ElementType.INT32;
      case "i8" -> ElementType.INT64;
      case "b1" -> ElementType.BOOL;
      default -> null;
    };
  }

  private static Tensor strings(
      Header header, ByteBuffer data, String kind, ByteOrder order, long count, String where) {
    int width;
    try {
      width = Integer.parseInt(kind.substring(1));
    } catch (NumberFormatException e) {
      throw new FormatException(where + ": .npy dtype 'U" + kind.substring(1) + "' has no width");
    }
    if (width < 1 || width > 1 << 20) {
      throw new FormatException(where + ": .npy dtype 'U" + width + "' has no usable width");
    }
    long expected = count * width * 4L; // count < 2^28 and width <= 2^20: no overflow
    if (data.remaining() != expected) {
      throw new FormatException(
          where
              + ": .npy data holds "
              + data.remaining()
              + " bytes, shape and dtype need "
              + expected);
    }
    data.order(order);
    String[] values = new String[(int) count];
    int[] codePoints = new int[width];
    for (int i = 0; i < count; i++) {
      int length = 0;
      for (int c = 0; c < width; c++) {
        codePoints[c] = data.getInt();
        if (!Character.isValidCodePoint(codePoints[c])) {
          throw new FormatException(where + ": .npy string " + i + " holds an invalid code point");
        }
        if (codePoints[c] != 0) {
          length = c + 1; // as NumPy: only trailing NULs are padding
        }
      }
      values[i] = new String(codePoints, 0, length);
    }
    return Tensor.ofStrings(header.shape(), values);
  }

  /** Writes a tensor as a version 1.0 {@code .npy} file (little-endian), atomically. */
  public static void write(Path file, Tensor tensor) {
    AtomicFiles.write(file, toBytes(tensor));
  }

  /** A tensor as version 1.0 {@code .npy} bytes, little-endian. */
  public static byte[] toBytes(Tensor tensor) {
    String descr;
    byte[] data;
    if (tensor.type() == ElementType.STRING) {
      String[] values = tensor.strings();
      int width = 1;
      for (String value : values) {
        width = Math.max(width, value.codePointCount(0, value.length()));
      }
      long bytes = (long) values.length * width * 4;
      if (bytes > MAX_BYTES) {
        throw new IllegalArgumentException(
            "strings of width "
                + width
                + " would take "
                + bytes
                + " bytes, more than a .npy holds");
      }
      ByteBuffer out = ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
      for (String value : values) {
        int written = 0;
        for (int cp : value.codePoints().toArray()) {
          out.putInt(cp);
          written++;
        }
        for (; written < width; written++) {
          out.putInt(0);
        }
      }
      descr = "<U" + width;
      data = out.array();
    } else {
      descr = descr(tensor.type());
      ByteBuffer source = tensor.buffer();
      ByteBuffer out = ByteBuffer.allocate(source.remaining()).order(ByteOrder.LITTLE_ENDIAN);
      int width = tensor.type().bytesPerElement();
      while (source.hasRemaining()) {
        switch (width) {
          case 1 -> out.put(source.get());
          case 2 -> out.putShort(source.getShort());
          case 4 -> out.putInt(source.getInt());
          default -> out.putLong(source.getLong());
        }
      }
      data = out.array();
    }
    return withHeader(descr, tensor.shape(), data);
  }

  private static String descr(ElementType type) {
    return switch (type) {
      case FLOAT16 -> "<f2";
      case FLOAT -> "<f4";
      case DOUBLE -> "<f8";
      case INT8 -> "|i1";
      case UINT8 -> "|u1";
      case INT32 -> "<i4";
      case INT64 -> "<i8";
      case BOOL -> "|b1";
      case STRING -> throw new IllegalArgumentException("strings have a width");
    };
  }

  private static byte[] withHeader(String descr, long[] shape, byte[] data) {
    StringBuilder dims = new StringBuilder();
    for (long dim : shape) {
      dims.append(dim).append(", ");
    }
    String shapeText =
        shape.length == 1
            ? "(" + shape[0] + ",)"
            : "(" + (shape.length == 0 ? "" : dims.substring(0, dims.length() - 2)) + ")";
    String dict =
        String.format(
            Locale.ROOT,
            "{'descr': '%s', 'fortran_order': False, 'shape': %s, }",
            descr,
            shapeText);
    // As NumPy: spare spaces so the first dimension can grow to 21 digits in place, then 1 to 64
    // spaces and a newline so the data starts on a 64-byte boundary (an aligned header gets 64).
    String spare = shape.length == 0 ? "" : " ".repeat(21 - Long.toString(shape[0]).length());
    int unpadded = 10 + dict.length() + spare.length() + 1;
    int padding = 64 - unpadded % 64;
    String header = dict + spare + " ".repeat(padding) + "\n";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(MAGIC);
    out.write(1);
    out.write(0);
    out.write(header.length() & 0xFF);
    out.write(header.length() >>> 8);
    out.writeBytes(header.getBytes(StandardCharsets.ISO_8859_1));
    out.writeBytes(data);
    return out.toByteArray();
  }

  /** The longest file name {@link #fileName} returns, well within every file system's limit. */
  public static final int MAX_FILE_NAME = 200;

  /**
   * A file name for a tensor named {@code tensorName}: {@code NAME.npy}, where every character of
   * the name but letters, digits, {@code _}, {@code -} and a {@code .} not leading is written as
   * {@code %XX} (its UTF-8 bytes). Tensor names come from the model, so {@code ../x}, {@code
   * /etc/x} or {@code Identity:0} must never become a path of their own; the encoding is
   * one-to-one, so two tensors never share a file (names that differ only in case still collide on
   * case-insensitive file systems: refuse them before writing). A name that is a device on Windows
   * ({@code CON}, {@code NUL}, {@code COM1}...) has its first letter encoded.
   *
   * @throws InputException when the encoded name is longer than {@value #MAX_FILE_NAME} characters
   */
  public static String fileName(String tensorName) {
    StringBuilder name = new StringBuilder();
    byte[] bytes = tensorName.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length; i++) {
      int b = bytes[i] & 0xff;
      boolean plain =
          (b >= 'a' && b <= 'z')
              || (b >= 'A' && b <= 'Z')
              || (b >= '0' && b <= '9')
              || b == '_'
              || b == '-'
              || (b == '.' && i > 0);
      if (plain) {
        name.append((char) b);
      } else {
        name.append('%').append(String.format(Locale.ROOT, "%02X", b));
      }
    }
    if (ResourceNames.isWindowsDevice(name.toString())) {
      name.replace(0, 1, String.format(Locale.ROOT, "%%%02X", (int) name.charAt(0)));
    }
    name.append(".npy");
    if (name.length() > MAX_FILE_NAME) {
      throw new InputException(
          "output '"
              + tensorName
              + "' makes a file name of "
              + name.length()
              + " characters, above "
              + MAX_FILE_NAME);
    }
    return name.toString();
  }
}

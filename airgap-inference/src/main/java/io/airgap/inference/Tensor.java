package io.airgap.inference;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.platform.Fp16Conversions;
import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.IntFunction;

/**
 * A typed, shaped array of values: the input or output of a run. Numeric and boolean tensors built
 * here hold their elements in a direct, native-order buffer, which ONNX Runtime reads without a
 * copy; outputs keep the copy ONNX Runtime hands back (a heap buffer), so reading them costs no
 * second copy. String tensors hold a {@code String[]}. The shape is row-major. No method changes a
 * tensor; a tensor made with {@link #wrap} shares the caller's buffer, which must not change while
 * a run reads it.
 */
public final class Tensor {
  private final ElementType type;
  private final long[] shape;
  private final ByteBuffer data;
  private final String[] strings;

  private Tensor(ElementType type, long[] shape, ByteBuffer data, String[] strings) {
    this.type = type;
    this.shape = shape;
    this.data = data;
    this.strings = strings;
  }

  /** A float tensor. */
  public static Tensor ofFloats(long[] shape, float... values) {
    ByteBuffer buffer = allocate(shape, values.length, ElementType.FLOAT);
    buffer.asFloatBuffer().put(values);
    return new Tensor(ElementType.FLOAT, shape.clone(), buffer, null);
  }

  /** A double tensor. */
  public static Tensor ofDoubles(long[] shape, double... values) {
    ByteBuffer buffer = allocate(shape, values.length, ElementType.DOUBLE);
    buffer.asDoubleBuffer().put(values);
    return new Tensor(ElementType.DOUBLE, shape.clone(), buffer, null);
  }

  /** A signed 8-bit tensor. */
  public static Tensor ofInt8(long[] shape, byte... values) {
    return ofBytes(ElementType.INT8, shape, values);
  }

  /** An unsigned 8-bit tensor: each byte is read as 0 to 255. */
  public static Tensor ofUint8(long[] shape, byte... values) {
    return ofBytes(ElementType.UINT8, shape, values);
  }

  /** A 32-bit integer tensor. */
  public static Tensor ofInts(long[] shape, int... values) {
    ByteBuffer buffer = allocate(shape, values.length, ElementType.INT32);
    buffer.asIntBuffer().put(values);
    return new Tensor(ElementType.INT32, shape.clone(), buffer, null);
  }

  /** A 64-bit integer tensor. */
  public static Tensor ofLongs(long[] shape, long... values) {
    ByteBuffer buffer = allocate(shape, values.length, ElementType.INT64);
    buffer.asLongBuffer().put(values);
    return new Tensor(ElementType.INT64, shape.clone(), buffer, null);
  }

  /** A boolean tensor. */
  public static Tensor ofBooleans(long[] shape, boolean... values) {
    ByteBuffer buffer = allocate(shape, values.length, ElementType.BOOL);
    for (boolean value : values) {
      buffer.put((byte) (value ? 1 : 0));
    }
    buffer.clear();
    return new Tensor(ElementType.BOOL, shape.clone(), buffer, null);
  }

  /** A half-precision tensor from the values' 16-bit patterns. */
  public static Tensor ofFloat16Bits(long[] shape, short... bits) {
    ByteBuffer buffer = allocate(shape, bits.length, ElementType.FLOAT16);
    buffer.asShortBuffer().put(bits);
    return new Tensor(ElementType.FLOAT16, shape.clone(), buffer, null);
  }

  /** A half-precision tensor, each float rounded to the nearest half (ties to even). */
  public static Tensor ofFloat16(long[] shape, float... values) {
    short[] bits = new short[values.length];
    for (int i = 0; i < values.length; i++) {
      bits[i] = Fp16Conversions.floatToFp16(values[i]);
    }
    return ofFloat16Bits(shape, bits);
  }

  /** A string tensor; no element may be null. */
  public static Tensor ofStrings(long[] shape, String... values) {
    checkCount(shape, values.length);
    for (int i = 0; i < values.length; i++) {
      Objects.requireNonNull(values[i], "string element " + i);
    }
    return new Tensor(ElementType.STRING, shape.clone(), null, values.clone());
  }

  /**
   * A float matrix {@code [rows.length, columns]}, for example a batch of feature rows.
   *
   * @throws IllegalArgumentException when there are no rows or the rows differ in length
   */
  public static Tensor ofFloats(float[][] rows) {
    float[] values = flatten(rows, float[]::new);
    return ofFloats(new long[] {rows.length, values.length / rows.length}, values);
  }

  /**
   * A 64-bit integer matrix {@code [rows.length, columns]}, for example token ids of a batch.
   *
   * @throws IllegalArgumentException when there are no rows or the rows differ in length
   */
  public static Tensor ofLongs(long[][] rows) {
    long[] values = flatten(rows, long[]::new);
    return ofLongs(new long[] {rows.length, values.length / rows.length}, values);
  }

  /**
   * A string vector {@code [values.length]}, for example a batch of texts; no element may be null.
   */
  public static Tensor ofStrings(String... values) {
    return ofStrings(new long[] {values.length}, values);
  }

  /** The rows of a primitive matrix one after another, refusing no rows and ragged rows. */
  private static <A> A flatten(A[] rows, IntFunction<A> allocate) {
    if (rows.length == 0) {
      throw new IllegalArgumentException("a matrix needs at least one row");
    }
    int columns = Array.getLength(Objects.requireNonNull(rows[0], "row 0"));
    A values = allocate.apply(Math.multiplyExact(rows.length, columns));
    for (int r = 0; r < rows.length; r++) {
      int length = Array.getLength(Objects.requireNonNull(rows[r], "row " + r));
      if (length != columns) {
        throw new IllegalArgumentException(
            "row " + r + " has " + length + " values, row 0 has " + columns);
      }
      System.arraycopy(rows[r], 0, values, r * columns, columns);
    }
    return values;
  }

  /**
   * A tensor over the caller's buffer, without a copy: it must be direct, in native byte order, and
   * hold exactly the elements of {@code shape} from its position to its limit.
   *
   * @throws IllegalArgumentException when the buffer is not direct, not native order, or of another
   *     size, or the type is {@link ElementType#STRING}
   */
  public static Tensor wrap(ElementType type, long[] shape, ByteBuffer buffer) {
    if (type == ElementType.STRING) {
      throw new IllegalArgumentException("string tensors have no buffer; use ofStrings");
    }
    if (!buffer.isDirect() || buffer.order() != ByteOrder.nativeOrder()) {
      throw new IllegalArgumentException(
          "a wrapped buffer must be direct and in native byte order ("
              + ByteOrder.nativeOrder()
              + ")");
    }
    long elements = checkShape(shape);
    if (type == ElementType.BOOL) {
      for (int i = buffer.position(); i < buffer.limit(); i++) {
        if (buffer.get(i) != 0 && buffer.get(i) != 1) {
          throw new IllegalArgumentException(
              "bool element " + (i - buffer.position()) + " is neither 0 nor 1");
        }
      }
    }
    if (buffer.remaining() != elements * type.bytesPerElement()) {
      throw new IllegalArgumentException(
          "buffer holds "
              + buffer.remaining()
              + " bytes; shape "
              + Arrays.toString(shape)
              + " of "
              + type.onnxName()
              + " needs "
              + elements * type.bytesPerElement());
    }
    return new Tensor(type, shape.clone(), buffer.slice().order(ByteOrder.nativeOrder()), null);
  }

  private static Tensor ofBytes(ElementType type, long[] shape, byte[] values) {
    ByteBuffer buffer = allocate(shape, values.length, type);
    buffer.put(values).clear();
    return new Tensor(type, shape.clone(), buffer, null);
  }

  private static ByteBuffer allocate(long[] shape, int count, ElementType type) {
    checkCount(shape, count);
    return ByteBuffer.allocateDirect(count * type.bytesPerElement()).order(ByteOrder.nativeOrder());
  }

  private static void checkCount(long[] shape, int count) {
    long elements = checkShape(shape);
    if (elements != count) {
      throw new IllegalArgumentException(
          "shape " + Arrays.toString(shape) + " holds " + elements + " elements, got " + count);
    }
  }

  /** The number of elements, checking that no dimension is negative and the total fits a buffer. */
  static long checkShape(long[] shape) {
    long elements = 1;
    for (long dim : shape) {
      if (dim < 0) {
        throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
      }
      // Each dimension is bounded on its own too: a 0 elsewhere must not let an absurd one pass.
      if (dim > Integer.MAX_VALUE / 8) {
        throw new IllegalArgumentException(
            "shape " + Arrays.toString(shape) + " is too large for one tensor");
      }
      elements *= dim; // both factors are below 2^28 once bounded, so no overflow
      if (elements > Integer.MAX_VALUE / 8) {
        throw new IllegalArgumentException(
            "shape " + Arrays.toString(shape) + " is too large for one tensor");
      }
    }
    return elements;
  }

  /** The element type. */
  public ElementType type() {
    return type;
  }

  /** A copy of the shape. */
  public long[] shape() {
    return shape.clone();
  }

  /** The shape itself, for checks that must not allocate; callers must not change it. */
  long[] shapeView() {
    return shape;
  }

  /** The number of elements. */
  public long elementCount() {
    return strings != null ? strings.length : data.limit() / type.bytesPerElement();
  }

  /** A read-only view of the native buffer (not for strings). */
  public ByteBuffer buffer() {
    require(type != ElementType.STRING, "buffer");
    return data.asReadOnlyBuffer().order(ByteOrder.nativeOrder());
  }

  /** The values of a float tensor. */
  public float[] floats() {
    require(ElementType.FLOAT);
    float[] out = new float[(int) elementCount()];
    data.duplicate().order(ByteOrder.nativeOrder()).asFloatBuffer().get(out);
    return out;
  }

  /** The values of a double tensor. */
  public double[] doubles() {
    require(ElementType.DOUBLE);
    double[] out = new double[(int) elementCount()];
    data.duplicate().order(ByteOrder.nativeOrder()).asDoubleBuffer().get(out);
    return out;
  }

  /** The values of an int8 or uint8 tensor, as stored. */
  public byte[] bytes() {
    require(type == ElementType.INT8 || type == ElementType.UINT8, "bytes");
    byte[] out = new byte[(int) elementCount()];
    data.duplicate().get(out);
    return out;
  }

  /** The values of an int32 tensor. */
  public int[] ints() {
    require(ElementType.INT32);
    int[] out = new int[(int) elementCount()];
    data.duplicate().order(ByteOrder.nativeOrder()).asIntBuffer().get(out);
    return out;
  }

  /** The values of an int64 tensor. */
  public long[] longs() {
    require(ElementType.INT64);
    long[] out = new long[(int) elementCount()];
    data.duplicate().order(ByteOrder.nativeOrder()).asLongBuffer().get(out);
    return out;
  }

  /** The values of a bool tensor. */
  public boolean[] booleans() {
    require(ElementType.BOOL);
    boolean[] out = new boolean[(int) elementCount()];
    ByteBuffer view = data.duplicate();
    for (int i = 0; i < out.length; i++) {
      out[i] = view.get(i) != 0;
    }
    return out;
  }

  /** The 16-bit patterns of a float16 tensor. */
  public short[] float16Bits() {
    require(ElementType.FLOAT16);
    short[] out = new short[(int) elementCount()];
    data.duplicate().order(ByteOrder.nativeOrder()).asShortBuffer().get(out);
    return out;
  }

  /** The values of a float16 tensor, widened to float (exact). */
  public float[] float16AsFloats() {
    short[] bits = float16Bits();
    float[] out = new float[bits.length];
    for (int i = 0; i < bits.length; i++) {
      out[i] = Fp16Conversions.fp16ToFloat(bits[i]);
    }
    return out;
  }

  /** The values of a string tensor. */
  public String[] strings() {
    require(ElementType.STRING);
    return strings.clone();
  }

  private void require(ElementType wanted) {
    require(type == wanted, wanted.onnxName() + " values");
  }

  private void require(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException("this " + type.onnxName() + " tensor has no " + what);
    }
  }

  /** This tensor as an ONNX Runtime value sharing its buffer; the caller closes it. */
  OnnxTensor toOnnx(OrtEnvironment env) throws OrtException {
    ByteBuffer view = data == null ? null : data.duplicate().order(ByteOrder.nativeOrder());
    return switch (type) {
      case FLOAT -> OnnxTensor.createTensor(env, view.asFloatBuffer(), shape);
      case DOUBLE -> OnnxTensor.createTensor(env, view.asDoubleBuffer(), shape);
      case INT32 -> OnnxTensor.createTensor(env, view.asIntBuffer(), shape);
      case INT64 -> OnnxTensor.createTensor(env, view.asLongBuffer(), shape);
      case FLOAT16 -> OnnxTensor.createTensor(env, view.asShortBuffer(), shape, type.onnx());
      case INT8, UINT8, BOOL -> OnnxTensor.createTensor(env, view, shape, type.onnx());
      case STRING -> OnnxTensor.createTensor(env, strings, shape);
    };
  }

  /** Copies an ONNX Runtime output into a tensor; the caller still closes {@code value}. */
  static Tensor fromOnnx(OnnxTensor value, String name) throws OrtException {
    ElementType type = ElementType.of(value.getInfo().onnxType);
    if (type == null) {
      throw new InferenceException(
          "output "
              + name
              + " has element type "
              + TensorSpec.onnxName(value.getInfo().onnxType)
              + ", which is not supported");
    }
    long[] shape = value.getInfo().getShape();
    if (type == ElementType.STRING) {
      List<String> flat = new ArrayList<>();
      flatten(value.getValue(), flat);
      return new Tensor(type, shape, null, flat.toArray(String[]::new));
    }
    // ONNX Runtime already copies the output into a fresh buffer in native layout; keep that one
    // rather than copying again into a direct buffer (it is copied in if fed back to a run).
    ByteBuffer copy = value.getByteBuffer().order(ByteOrder.nativeOrder());
    return new Tensor(type, shape, copy, null);
  }

  private static void flatten(Object value, List<String> out) {
    if (value instanceof String s) {
      out.add(s);
      return;
    }
    int length = Array.getLength(value);
    for (int i = 0; i < length; i++) {
      flatten(Array.get(value, i), out);
    }
  }

  /**
   * Rows {@code [from, from + rows)} along the first dimension, copied.
   *
   * @throws IllegalArgumentException when the tensor has no first dimension or the range is outside
   */
  public Tensor rows(long from, long rows) {
    if (shape.length == 0 || from < 0 || rows < 0 || from > shape[0] || rows > shape[0] - from) {
      throw new IllegalArgumentException(
          "rows " + from + ".." + (from + rows) + " are outside " + this);
    }
    long[] sliced = shape.clone();
    sliced[0] = rows;
    long perRow = shape[0] == 0 ? 0 : elementCount() / shape[0];
    if (type == ElementType.STRING) {
      String[] part =
          Arrays.copyOfRange(strings, (int) (from * perRow), (int) ((from + rows) * perRow));
      return new Tensor(type, sliced, null, part);
    }
    int width = type.bytesPerElement();
    ByteBuffer source = data.duplicate();
    source.position((int) (from * perRow * width)).limit((int) ((from + rows) * perRow * width));
    ByteBuffer copy = ByteBuffer.allocateDirect(source.remaining()).order(ByteOrder.nativeOrder());
    copy.put(source).clear();
    return new Tensor(type, sliced, copy, null);
  }

  /**
   * Stacks tensors along their first dimension. Where the other dimensions differ, each part is
   * padded at the end of every dimension to the largest, with {@code padding} (a number, a boolean
   * or a string, as the type needs; zero when null).
   *
   * @throws IllegalArgumentException when the parts differ in type or rank
   */
  public static Tensor stack(List<Tensor> parts, Object padding) {
    Tensor first = parts.get(0);
    long[] target = first.shape.clone();
    target[0] = 0;
    for (Tensor part : parts) {
      if (part.type != first.type
          || part.shape.length != first.shape.length
          || part.shape.length == 0) {
        throw new IllegalArgumentException("cannot stack " + part + " with " + first);
      }
      target[0] += part.shape[0];
      for (int d = 1; d < target.length; d++) {
        target[d] = Math.max(target[d], part.shape[d]);
      }
    }
    long total = checkShape(target);
    if (first.type == ElementType.STRING) {
      String[] out = new String[(int) total];
      Arrays.fill(out, padding == null ? "" : padding.toString());
      long rowOffset = 0;
      for (Tensor part : parts) {
        for (int i = 0; i < part.strings.length; i++) {
          out[(int) targetIndex(part.shape, target, rowOffset, i)] = part.strings[i];
        }
        rowOffset += part.shape[0];
      }
      return new Tensor(first.type, target, null, out);
    }
    int width = first.type.bytesPerElement();
    ByteBuffer out =
        ByteBuffer.allocateDirect((int) (total * width)).order(ByteOrder.nativeOrder());
    byte[] pad = padBytes(first.type, padding);
    for (int i = 0; i < total; i++) {
      out.put(pad);
    }
    long rowOffset = 0;
    for (Tensor part : parts) {
      ByteBuffer source = part.data.duplicate();
      long count = part.elementCount();
      boolean sameLayout =
          Arrays.equals(
              Arrays.copyOfRange(part.shape, 1, part.shape.length),
              Arrays.copyOfRange(target, 1, target.length));
      if (sameLayout) {
        ByteBuffer dest = out.duplicate();
        dest.position((int) (targetIndex(part.shape, target, rowOffset, 0) * width));
        dest.put(source);
      } else {
        for (long i = 0; i < count; i++) {
          long at = targetIndex(part.shape, target, rowOffset, i) * width;
          for (int b = 0; b < width; b++) {
            out.put((int) (at + b), source.get((int) (i * width + b)));
          }
        }
      }
      rowOffset += part.shape[0];
    }
    out.clear();
    return new Tensor(first.type, target, out, null);
  }

  /** Where element {@code index} of a part (row-major in its shape) lands in the stacked tensor. */
  private static long targetIndex(long[] shape, long[] target, long rowOffset, long index) {
    long result = 0;
    long remaining = index;
    long[] coordinates = new long[shape.length];
    for (int d = shape.length - 1; d >= 0; d--) {
      coordinates[d] = shape[d] == 0 ? 0 : remaining % shape[d];
      remaining = shape[d] == 0 ? 0 : remaining / shape[d];
    }
    coordinates[0] += rowOffset;
    for (int d = 0; d < shape.length; d++) {
      result = result * target[d] + coordinates[d];
    }
    return result;
  }

  /**
   * How many elements {@link #stack} would produce for {@code parts}, or -1 when they cannot be
   * stacked or the result would be too large for one tensor.
   */
  static long stackedElements(List<Tensor> parts) {
    Tensor first = parts.get(0);
    long[] target = first.shape.clone();
    if (target.length == 0) {
      return -1;
    }
    target[0] = 0;
    for (Tensor part : parts) {
      if (part.type != first.type || part.shape.length != target.length) {
        return -1;
      }
      target[0] += part.shape[0];
      for (int d = 1; d < target.length; d++) {
        target[d] = Math.max(target[d], part.shape[d]);
      }
    }
    try {
      return checkShape(target);
    } catch (IllegalArgumentException e) {
      return -1;
    }
  }

  /**
   * Checks that {@code padding} can pad tensors of {@code type}: a string for strings, a boolean
   * (or 0 or 1) for bools, an integral number in range for integer types, any number for floating
   * types; null pads with zero.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  static void checkPadding(ElementType type, Object padding) {
    if (padding == null) {
      return;
    }
    boolean fits =
        switch (type) {
          case STRING -> padding instanceof String;
          case BOOL -> padding instanceof Boolean || isIntegral(padding, 0, 1);
          case FLOAT, DOUBLE, FLOAT16 -> padding instanceof Number;
          case INT8 -> isIntegral(padding, Byte.MIN_VALUE, Byte.MAX_VALUE);
          case UINT8 -> isIntegral(padding, 0, 255);
          case INT32 -> isIntegral(padding, Integer.MIN_VALUE, Integer.MAX_VALUE);
          case INT64 -> isIntegral(padding, Long.MIN_VALUE, Long.MAX_VALUE);
        };
    if (!fits) {
      throw new IllegalArgumentException(
          padding
              + " ("
              + padding.getClass().getSimpleName()
              + ") cannot pad "
              + type.onnxName()
              + " values");
    }
  }

  private static boolean isIntegral(Object value, long min, long max) {
    if (value instanceof Long
        || value instanceof Integer
        || value instanceof Short
        || value instanceof Byte) {
      long v = ((Number) value).longValue();
      return v >= min && v <= max;
    }
    return false;
  }

  private static byte[] padBytes(ElementType type, Object padding) {
    ByteBuffer pad = ByteBuffer.allocate(type.bytesPerElement()).order(ByteOrder.nativeOrder());
    double value =
        padding instanceof Boolean b
            ? (b ? 1 : 0)
            : padding == null ? 0 : ((Number) padding).doubleValue();
    switch (type) {
      case FLOAT -> pad.putFloat((float) value);
      case DOUBLE -> pad.putDouble(value);
      case FLOAT16 -> pad.putShort(Fp16Conversions.floatToFp16((float) value));
      case INT32 -> pad.putInt((int) value);
      case INT64 -> pad.putLong(padding instanceof Number n ? n.longValue() : (long) value);
      default -> pad.put((byte) value);
    }
    return pad.array();
  }

  @Override
  public String toString() {
    return "Tensor[" + type.onnxName() + " " + Arrays.toString(shape) + "]";
  }
}

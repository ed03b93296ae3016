package io.airgap.inference;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.TensorInfo.OnnxTensorType;
import java.util.Locale;

/** The element types a {@link Tensor} can hold, with their ONNX names. */
public enum ElementType {
  /** 32-bit IEEE float ({@code tensor(float)}). */
  FLOAT(OnnxJavaType.FLOAT, OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT, 4),
  /** 64-bit IEEE float ({@code tensor(double)}). */
  DOUBLE(OnnxJavaType.DOUBLE, OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_DOUBLE, 8),
  /** Signed 8-bit integer. */
  INT8(OnnxJavaType.INT8, OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_INT8, 1),
  /** Unsigned 8-bit integer, held in a Java {@code byte} (read with {@code & 0xFF}). */
  UINT8(OnnxJavaType.UINT8, OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT8, 1),
  /** Signed 32-bit integer. */
  INT32(OnnxJavaType.INT32, OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_INT32, 4),
  /** Signed 64-bit integer. */
  INT64(OnnxJavaType.INT64, OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64, 8),
  /** Boolean, one byte per element (0 or 1). */
  BOOL(OnnxJavaType.BOOL, OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_BOOL, 1),
  /** UTF-8 string. */
  STRING(OnnxJavaType.STRING, OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_STRING, 0),
  /** IEEE 754 half precision, held as its 16 bits in a Java {@code short}. */
  FLOAT16(OnnxJavaType.FLOAT16, OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT16, 2);

  private final OnnxJavaType onnx;
  private final OnnxTensorType tensorType;
  private final int bytes;

  ElementType(OnnxJavaType onnx, OnnxTensorType tensorType, int bytes) {
    this.onnx = onnx;
    this.tensorType = tensorType;
    this.bytes = bytes;
  }

  /** Bytes per element in a buffer (0 for strings, which are not held in one). */
  public int bytesPerElement() {
    return bytes;
  }

  /** The ONNX name, for example {@code float16}. */
  public String onnxName() {
    return name().toLowerCase(Locale.ROOT);
  }

  OnnxJavaType onnx() {
    return onnx;
  }

  /**
   * The element type for an ONNX tensor element type, or null when this API does not support it.
   * The ONNX type decides, not ONNX Runtime's Java type: that maps uint32 and uint64 to int32 and
   * int64, which would let a signed tensor reach an unsigned input and print unsigned outputs as
   * negative numbers.
   */
  static ElementType of(OnnxTensorType type) {
    for (ElementType t : values()) {
      if (t.tensorType == type) {
        return t;
      }
    }
    return null;
  }
}

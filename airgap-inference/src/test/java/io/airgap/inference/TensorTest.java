package io.airgap.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** Tensors hold direct, native-order buffers and refuse shapes that do not fit their values. */
class TensorTest {
  @Test
  void valuesAndShapeRoundTrip() {
    Tensor t = Tensor.ofFloats(new long[] {2, 2}, 1, 2, 3, 4);

    assertThat(t.type()).isEqualTo(ElementType.FLOAT);
    assertThat(t.shape()).containsExactly(2, 2);
    assertThat(t.elementCount()).isEqualTo(4);
    assertThat(t.floats()).containsExactly(1, 2, 3, 4);
    assertThat(t.buffer().isDirect()).isTrue();
    assertThat(t.buffer().order()).isEqualTo(ByteOrder.nativeOrder());
    assertThat(t.buffer().isReadOnly()).isTrue();
    assertThat(t).hasToString("Tensor[float [2, 2]]");
  }

  @Test
  void matricesAndStringVectorsTakeTheirShapeFromTheArrays() {
    Tensor floats = Tensor.ofFloats(new float[][] {{1, 2, 3}, {4, 5, 6}});
    Tensor longs = Tensor.ofLongs(new long[][] {{101, 7592}, {102, 0}});
    Tensor texts = Tensor.ofStrings("a cat", "a dog", "");

    assertThat(floats.shape()).containsExactly(2, 3);
    assertThat(floats.floats()).containsExactly(1, 2, 3, 4, 5, 6);
    assertThat(longs.type()).isEqualTo(ElementType.INT64);
    assertThat(longs.shape()).containsExactly(2, 2);
    assertThat(longs.longs()).containsExactly(101, 7592, 102, 0);
    assertThat(texts.shape()).containsExactly(3);
    assertThat(texts.strings()).containsExactly("a cat", "a dog", "");
  }

  @Test
  void raggedOrEmptyMatricesAreRefusedNamingTheRow() {
    assertThatThrownBy(() -> Tensor.ofFloats(new float[][] {{1, 2}, {3}}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("row 1 has 1 values, row 0 has 2");
    assertThatThrownBy(() -> Tensor.ofLongs(new long[][] {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a matrix needs at least one row");
    assertThatThrownBy(() -> Tensor.ofFloats(new float[][] {{1}, null}))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("row 1");
  }

  @Test
  void aShapeThatDoesNotFitIsRefused() {
    assertThatThrownBy(() -> Tensor.ofLongs(new long[] {2, 3}, 1, 2, 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("shape [2, 3] holds 6 elements, got 3");
    assertThatThrownBy(() -> Tensor.ofInts(new long[] {-1}, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("negative dimension in shape [-1]");
    assertThatThrownBy(() -> Tensor.ofFloats(new long[] {1L << 31, 1L << 31}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("shape [2147483648, 2147483648] is too large for one tensor");
    assertThatThrownBy(() -> Tensor.ofStrings(new long[] {1}, (String) null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("string element 0");
  }

  @Test
  void wrapSharesADirectNativeBuffer() {
    ByteBuffer buffer = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());
    buffer.putInt(0, 7).putInt(4, -7);

    Tensor t = Tensor.wrap(ElementType.INT32, new long[] {2}, buffer);
    buffer.putInt(0, 8);

    assertThat(t.ints()).containsExactly(8, -7);
    assertThatThrownBy(() -> Tensor.wrap(ElementType.INT32, new long[] {2}, ByteBuffer.allocate(8)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("a wrapped buffer must be direct and in native byte order");
    assertThatThrownBy(() -> Tensor.wrap(ElementType.INT32, new long[] {3}, buffer))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("buffer holds 8 bytes; shape [3] of int32 needs 12");
  }

  @Test
  void readingTheWrongTypeIsRefused() {
    assertThatThrownBy(() -> Tensor.ofInts(new long[] {1}, 1).floats())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("this int32 tensor has no float values");
    assertThatThrownBy(() -> Tensor.ofStrings(new long[] {1}, "a").buffer())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("this string tensor has no buffer");
  }
}

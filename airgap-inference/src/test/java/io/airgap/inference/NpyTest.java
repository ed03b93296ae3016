package io.airgap.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.airgap.core.FormatException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** .npy files written by NumPy itself read back exactly; ours are byte-identical to NumPy's. */
class NpyTest {
  static Path vector(String name) {
    try {
      return Path.of(NpyTest.class.getResource("/npy/" + name + ".npy").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void numpyFilesReadExactly() {
    Tensor f4 = Npy.read(vector("f4_2x3"));
    assertThat(f4.shape()).containsExactly(2, 3);
    assertThat(f4.floats()).containsExactly(1.5f, -2f, 0f, 3.25f, 1e-3f, -7f);
    assertThat(Npy.read(vector("f8_be")).doubles()).containsExactly(Math.PI, -1e300, 0.5);
    assertThat(Npy.read(vector("f2")).float16AsFloats())
        .containsExactly(1.5f, -65504f, 0.33300781f);
    assertThat(Npy.read(vector("i1")).bytes()).containsExactly(-128, 0, 127);
    Tensor u1 = Npy.read(vector("u1"));
    assertThat(u1.type()).isEqualTo(ElementType.UINT8);
    assertThat(u1.bytes()).containsExactly(-1, 0, 1);
    assertThat(Npy.read(vector("i4_be")).ints())
        .containsExactly(Integer.MIN_VALUE, 0, Integer.MAX_VALUE);
    Tensor i8 = Npy.read(vector("i8"));
    assertThat(i8.shape()).containsExactly(2, 1);
    assertThat(i8.longs()).containsExactly(Long.MIN_VALUE, Long.MAX_VALUE);
    assertThat(Npy.read(vector("bool")).booleans()).containsExactly(true, false, true);
    assertThat(Npy.read(vector("unicode")).strings())
        .containsExactly("a", "", "\u00e9t\u00e9 \ud83d\ude80");
    Tensor scalar = Npy.read(vector("scalar"));
    assertThat(scalar.shape()).isEmpty();
    assertThat(scalar.doubles()).containsExactly(42.0);
    assertThat(Npy.read(vector("empty")).shape()).containsExactly(0, 3);
    assertThat(Npy.read(vector("v2")).ints()).containsExactly(1, 2, 3);
    assertThat(Npy.read(vector("inner_nul")).strings()).containsExactly("a\u0000b", "c");
    assertThat(Npy.read(vector("aligned")).elementCount()).isEqualTo(1);
  }

  /** A version 1.0 file with {@code header} (padded as NumPy does) and {@code data}. */
  private static byte[] npy(String header, byte[] data) {
    String padded = header + " ".repeat(64 - (10 + header.length() + 1) % 64) + "\n";
    byte[] bytes = new byte[10 + padded.length() + data.length];
    byte[] prefix = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};
    System.arraycopy(prefix, 0, bytes, 0, 8);
    bytes[8] = (byte) padded.length();
    bytes[9] = (byte) (padded.length() >>> 8);
    System.arraycopy(
        padded.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1),
        0,
        bytes,
        10,
        padded.length());
    System.arraycopy(data, 0, bytes, 10 + padded.length(), data.length);
    return bytes;
  }

  @Test
  void hostileHeadersAreRefusedBeforeAnythingIsAllocated() {
    // 128 bytes that would otherwise ask for 268 million empty strings.
    assertThatThrownBy(
            () ->
                Npy.parse(
                    npy(
                        "{'descr': '<U0', 'fortran_order': False, 'shape': (268435455,), }",
                        new byte[0]),
                    "u0.npy"))
        .isInstanceOf(FormatException.class)
        .hasMessage("u0.npy: .npy dtype 'U0' has no usable width");
    assertThatThrownBy(
            () ->
                Npy.parse(
                    npy(
                        "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 9223372036854775807), }",
                        new byte[0]),
                    "big.npy"))
        .isInstanceOf(FormatException.class)
        .hasMessage("big.npy: shape [2, 9223372036854775807] is too large for one tensor");
    assertThatThrownBy(
            () ->
                Npy.parse(
                    npy(
                        "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 0, 4611686018427387904), }",
                        new byte[0]),
                    "zero.npy"))
        .isInstanceOf(FormatException.class)
        .hasMessage("zero.npy: shape [1, 0, 4611686018427387904] is too large for one tensor");
    assertThatThrownBy(
            () ->
                Npy.parse(
                    npy(
                        "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'descr': '>f4', }",
                        new byte[4]),
                    "twice.npy"))
        .isInstanceOf(FormatException.class)
        .hasMessageStartingWith("twice.npy: .npy header names a key twice: ");
  }

  @Test
  void writtenFilesAreByteIdenticalToNumpys() throws Exception {
    for (String name :
        new String[] {
          "f4_2x3",
          "f2",
          "i1",
          "u1",
          "i8",
          "bool",
          "unicode",
          "scalar",
          "empty",
          "aligned",
          "inner_nul"
        }) {
      byte[] numpy = Files.readAllBytes(vector(name));
      assertThat(Npy.toBytes(Npy.parse(numpy, name))).as(name).isEqualTo(numpy);
    }
  }

  @Test
  void unsupportedAndBrokenFilesAreRefused() throws Exception {
    assertThatThrownBy(() -> Npy.read(vector("fortran")))
        .isInstanceOf(FormatException.class)
        .hasMessageEndingWith("Fortran-order arrays are not supported; save with order='C'");
    assertThatThrownBy(() -> Npy.read(vector("object")))
        .isInstanceOf(FormatException.class)
        .hasMessageEndingWith(
            ".npy dtype '|O' is not supported (float16/32/64, int8/32/64, uint8, bool and"
                + " unicode are; object arrays hold pickles and are never read)");
    byte[] good = Files.readAllBytes(vector("f4_2x3"));
    assertThatThrownBy(() -> Npy.parse(Arrays.copyOf(good, good.length - 1), "cut.npy"))
        .isInstanceOf(FormatException.class)
        .hasMessage("cut.npy: .npy data holds 23 bytes, shape and dtype need 24");
    assertThatThrownBy(() -> Npy.parse("PK\u0003\u0004 not npy".getBytes(), "x.npz"))
        .isInstanceOf(FormatException.class)
        .hasMessage("x.npz: not a .npy file (no \\x93NUMPY magic)");
    byte[] longHeader = good.clone();
    longHeader[8] = (byte) 0xFF;
    longHeader[9] = (byte) 0x7F;
    assertThatThrownBy(() -> Npy.parse(longHeader, "h.npy"))
        .isInstanceOf(FormatException.class)
        .hasMessage("h.npy: .npy header length 32767 does not fit the file");
    byte[] badBool = Files.readAllBytes(vector("bool"));
    badBool[badBool.length - 1] = 2;
    assertThatThrownBy(() -> Npy.parse(badBool, "b.npy"))
        .isInstanceOf(FormatException.class)
        .hasMessage("b.npy: .npy bool element 2 is neither 0 nor 1");
  }
}

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
  }

  @Test
  void writtenFilesAreByteIdenticalToNumpys() throws Exception {
    for (String name :
        new String[] {"f4_2x3", "f2", "i1", "u1", "i8", "bool", "unicode", "scalar", "empty"}) {
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

package io.airgap.core.signing;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The verifier's builder refuses conflicting and missing settings at the call that makes them. */
class ModelVerifierBuilderTest {
  private static final SigningKey KEY = Pem.generate(KeyType.ECDSA_P256);

  @Test
  void trustAnchorsAfterAPublicKeyAreRefusedNamingBoth() {
    ModelVerifier.Builder builder = ModelVerifier.builder().publicKey(KEY.publicKey());

    assertThatThrownBy(() -> builder.trustAnchors(List.of()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("trustAnchors(...) conflicts with publicKey(...) given before; give one");
  }

  @Test
  void aSecondPublicKeyIsRefusedRatherThanSilentlyReplacingTheFirst() {
    ModelVerifier.Builder builder = ModelVerifier.builder().publicKey(KEY.publicKey());

    assertThatThrownBy(() -> builder.publicKey(Pem.generate(KeyType.ECDSA_P384).publicKey()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("publicKey(...) is already set; give one key");
  }

  @Test
  void aSecondSigningKeyIsRefused() {
    ModelSigner.Builder builder = ModelSigner.builder().key(KEY);

    assertThatThrownBy(() -> builder.key(KEY))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("key(...) is already set; a signer signs with one key");
  }

  @Test
  void nullCollectionsAndElementsAreRefusedNamingThem() {
    assertThatThrownBy(() -> ModelVerifier.builder().trustAnchors(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("trustAnchors");
    assertThatThrownBy(
            () -> ModelVerifier.builder().ignorePaths(java.util.Arrays.asList("a", null)))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("an ignored path");
  }

  @Test
  void aNullPublicKeyIsRefusedNamingIt() {
    assertThatThrownBy(() -> ModelVerifier.builder().publicKey(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("publicKey");
  }

  @Test
  void neitherKeyNorAnchorsIsRefusedAtBuild() {
    assertThatThrownBy(() -> ModelVerifier.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("give a public key or trust anchors");
  }
}

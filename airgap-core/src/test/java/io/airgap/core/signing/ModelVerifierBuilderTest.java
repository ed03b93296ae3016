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
  void aNullPublicKeyIsRefusedNamingIt() {
    assertThatThrownBy(() -> ModelVerifier.builder().publicKey(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("publicKey");
  }

  @Test
  void neitherKeyNorAnchorsIsRefusedAtBuild() {
    assertThatThrownBy(() -> ModelVerifier.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("give either a public key or trust anchors, not both");
  }
}

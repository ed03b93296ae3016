package io.airgap.core.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.airgap.core.FormatException;
import io.airgap.core.testing.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keys in every PEM shape operators bring, and clear errors for the wrong ones. */
class PemTest {
  private static final Path KEYS = TestModels.resource("oms-model-transparency/keys");

  @TempDir Path temp;

  private Path openssl(String... args) throws Exception {
    Process process = new ProcessBuilder(List.of(args)).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assumeThat(process.waitFor()).as("openssl: " + output).isZero();
    return temp;
  }

  @Test
  void vectorPrivateKeyMatchesItsPublicKey() {
    SigningKey key = Pem.readSigningKey(KEYS.resolve("signing-key.pem"), null);

    assertThat(key.type()).isEqualTo(KeyType.ECDSA_P384);
    assertThat(Pem.hint(key.publicKey()))
        .isEqualTo("e8450dec4eb99dae995da9af1bc2cc9f76ed669ee2e744f57abba763df3e3f8e");
    assertThat(key.toString())
        .isEqualTo(
            "SigningKey[ecdsa-p384, hint"
                + " e8450dec4eb99dae995da9af1bc2cc9f76ed669ee2e744f57abba763df3e3f8e]");
  }

  @Test
  void sec1KeyIsRead() throws Exception {
    Path key = temp.resolve("sec1.pem");
    openssl(
        "openssl", "ecparam", "-name", "secp521r1", "-genkey", "-noout", "-out", key.toString());

    assertThat(Files.readString(key)).startsWith("-----BEGIN EC PRIVATE KEY-----");
    assertThat(Pem.readSigningKey(key, null).type()).isEqualTo(KeyType.ECDSA_P521);
  }

  @Test
  void pkcs8KeyWithoutPublicHalfGetsItDerived() throws Exception {
    Path sec1 = temp.resolve("sec1.pem");
    Path pkcs8 = temp.resolve("pkcs8.pem");
    openssl(
        "openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", sec1.toString());
    openssl(
        "openssl", "pkcs8", "-topk8", "-nocrypt", "-in", sec1.toString(), "-out", pkcs8.toString());
    Path publicKey = temp.resolve("pub.pem");
    openssl("openssl", "ec", "-in", sec1.toString(), "-pubout", "-out", publicKey.toString());

    SigningKey key = Pem.readSigningKey(pkcs8, null);

    assertThat(key.publicKey()).isEqualTo(Pem.readPublicKey(publicKey));
  }

  @Test
  void encryptedKeyWithWrongPasswordIsRefused() throws Exception {
    Path key = temp.resolve("enc.pem");
    openssl(
        "openssl",
        "genpkey",
        "-algorithm",
        "EC",
        "-pkeyopt",
        "ec_paramgen_curve:P-384",
        "-aes-256-cbc",
        "-pass",
        "pass:right",
        "-out",
        key.toString());

    assertThat(Pem.readSigningKey(key, "right".toCharArray()).type()).isEqualTo(KeyType.ECDSA_P384);
    assertThatThrownBy(() -> Pem.readSigningKey(key, "wrong".toCharArray()))
        .isInstanceOf(FormatException.class)
        .hasMessageStartingWith(key + ": cannot decrypt the private key (wrong password?)");
  }

  @Test
  void ed25519KeyRoundTripsThroughPem() throws Exception {
    SigningKey generated = Pem.generate(KeyType.ED25519);
    Path file =
        Files.writeString(temp.resolve("ed.pem"), Pem.privateKeyPem(generated.privateKey()));

    SigningKey read = Pem.readSigningKey(file, null);

    assertThat(read.type()).isEqualTo(KeyType.ED25519);
    assertThat(read.publicKey().getEncoded()).isEqualTo(generated.publicKey().getEncoded());
  }

  @Test
  void publicKeyGivenAsPrivateKeyIsNamed() {
    Path file = KEYS.resolve("signing-key-pub.pem");

    assertThatThrownBy(() -> Pem.readSigningKey(file, null))
        .isInstanceOf(FormatException.class)
        .hasMessage(file + ": expected a private key, found SubjectPublicKeyInfo");
  }

  @Test
  void rsaKeysAreRefused() throws Exception {
    Path key = temp.resolve("rsa.pem");
    openssl(
        "openssl",
        "genpkey",
        "-algorithm",
        "RSA",
        "-pkeyopt",
        "rsa_keygen_bits:2048",
        "-out",
        key.toString());

    assertThatThrownBy(() -> Pem.readSigningKey(key, null))
        .isInstanceOf(FormatException.class)
        .hasMessage(
            key
                + ": 1.2.840.113549.1.1.1 keys are not supported; use ECDSA P-256, P-384, P-521 or Ed25519");
  }

  @Test
  void fileWithoutPemIsRefused() throws Exception {
    Path file = Files.writeString(temp.resolve("empty.pem"), "not a key\n");

    assertThatThrownBy(() -> Pem.readPublicKey(file))
        .isInstanceOf(FormatException.class)
        .hasMessage(file + ": no PEM block found");
  }

  @Test
  void publicKeyPemUses64ColumnLinesAndLf() {
    String pem = Pem.publicKeyPem(Pem.readPublicKey(KEYS.resolve("signing-key-pub.pem")));

    assertThat(pem)
        .isEqualTo(
            "-----BEGIN PUBLIC KEY-----\n"
                + "MHYwEAYHKoZIzj0CAQYFK4EEACIDYgAEsu6rZGBTjxtvRWPMixT+3HyndV0J0Ybt\n"
                + "aHZUcO4DEK+OJHO/4e32bb/fbJKSpRgcBsIpKLcVijUomyFOERbd7u+BTPSUjGZD\n"
                + "Qq6J7lTvp/EAXQGOKxW9RP0MGX3qAkvi\n"
                + "-----END PUBLIC KEY-----\n");
  }
}

package io.airgap.audit.note;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Signed notes and note keys against the Go note package's published test vectors. */
class SignedNoteTest {
  private static final String PETER_VERIFIER =
      "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
  private static final String PETER_SIGNER =
      "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
  private static final String ENOCH_VERIFIER =
      "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
  private static final String TEXT =
      "If you think cryptography is the answer to your problem,\n"
          + "then you don't know what your problem is.\n";
  private static final String PETER_SIGNED =
      TEXT
          + "\n"
          + "\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
  private static final String ENOCH_LINE =
      "\u2014 EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void signingReproducesTheGoVectorByteForByte() {
    NoteSigner signer = NoteSigner.parse(PETER_SIGNER);

    assertThat(SignedNote.sign(TEXT, signer)).isEqualTo(PETER_SIGNED);
    assertThat(signer.verifier()).hasToString(PETER_VERIFIER);
    assertThat(signer.privateKeyString()).isEqualTo(PETER_SIGNER);
  }

  @Test
  void noteWithTwoKnownSignaturesOpens() {
    List<NoteVerifier> both =
        List.of(NoteVerifier.parse(PETER_VERIFIER), NoteVerifier.parse(ENOCH_VERIFIER));

    assertThat(SignedNote.open(utf8(PETER_SIGNED + ENOCH_LINE), both)).isEqualTo(TEXT);
    assertThat(
            SignedNote.open(
                utf8(PETER_SIGNED + ENOCH_LINE), List.of(NoteVerifier.parse(ENOCH_VERIFIER))))
        .isEqualTo(TEXT);
  }

  @Test
  void unknownSignaturesAloneDoNotOpen() {
    assertThatThrownBy(
            () -> SignedNote.open(utf8(PETER_SIGNED), List.of(NoteVerifier.parse(ENOCH_VERIFIER))))
        .isInstanceOf(NoteSignatureException.class)
        .hasMessage("no signature on the note is by a known key [" + ENOCH_VERIFIER + "]");
  }

  @Test
  void corruptedSignatureOfAKnownKeyIsRejected() {
    String line = PETER_SIGNED.substring(TEXT.length() + 1);
    String corrupted = TEXT + "\n" + line.substring(0, 60) + "ABCD" + line.substring(60);

    assertThatThrownBy(
            () -> SignedNote.open(utf8(corrupted), List.of(NoteVerifier.parse(PETER_VERIFIER))))
        .isInstanceOf(NoteSignatureException.class)
        .hasMessage("invalid signature for key " + PETER_VERIFIER);
  }

  @Test
  void malformedNotesAreRejected() {
    List<NoteVerifier> peter = List.of(NoteVerifier.parse(PETER_VERIFIER));
    String line = PETER_SIGNED.substring(TEXT.length() + 1);

    for (String bad :
        List.of(
            TEXT,
            TEXT + "\n",
            PETER_SIGNED.substring(0, PETER_SIGNED.length() - 1),
            "\u0001" + PETER_SIGNED,
            PETER_SIGNED + "not a signature\n",
            TEXT + "\n" + line.repeat(101))) {
      assertThatThrownBy(() -> SignedNote.open(utf8(bad), peter)).isInstanceOf(NoteException.class);
    }
    assertThatThrownBy(() -> SignedNote.open(new byte[] {(byte) 0xff, '\n', '\n'}, peter))
        .isInstanceOf(NoteException.class)
        .hasMessage("malformed note: not UTF-8");
  }

  @Test
  void malformedKeysAreRejected() {
    assertThatThrownBy(
            () ->
                NoteVerifier.parse(
                    "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY=="))
        .isInstanceOf(NoteException.class);
    assertThatThrownBy(
            () ->
                NoteVerifier.parse(
                    "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"))
        .isInstanceOf(NoteException.class)
        .hasMessageEndingWith("is not an Ed25519 key (type 0x01, 32 bytes)");
    for (int i = 0; i < PETER_VERIFIER.length(); i++) {
      String prefix = PETER_VERIFIER.substring(0, i);
      assertThatThrownBy(() -> NoteVerifier.parse(prefix))
          .as(prefix)
          .isInstanceOf(NoteException.class);
      char[] chars = PETER_VERIFIER.toCharArray();
      chars[i]++;
      String changed = new String(chars);
      assertThatThrownBy(() -> NoteVerifier.parse(changed))
          .as(changed)
          .isInstanceOf(RuntimeException.class);
    }
    assertThatThrownBy(() -> NoteSigner.generate("Bad Name"))
        .isInstanceOf(NoteException.class)
        .hasMessage("note key name 'Bad Name' contains a space, '+' or a control character");
  }
}

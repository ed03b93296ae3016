package io.airgap.inference;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real model a package ships: quantised all-MiniLM-L6-v2 from LangChain4j's jar is signed, loaded
 * verified and run here, and its sentence embeddings (mean pooling, L2 norm) must match
 * LangChain4j's own for the same sentences.
 */
class MiniLmTest {
  static final List<String> SENTENCES =
      List.of(
          "The model was signed on the connected side.",
          "Operators carry bundles across the air gap on removable media.",
          "An auditor asks for proof of what ran.",
          "Drift statistics compare live inputs with the validation data.",
          "short",
          "Ünïcödé, emojis 🚀 and numbers 12345 are tokenized too.");

  @TempDir static Path temp;
  static Path modelDir;

  /** Copies the model and tokenizer out of LangChain4j's jar into a directory and signs it. */
  static Path signedMiniLm(Path dir) throws Exception {
    Files.createDirectories(dir);
    for (String[] entry :
        new String[][] {
          {"all-minilm-l6-v2-q.onnx", "model.onnx"},
          {"all-minilm-l6-v2-q-tokenizer.json", "tokenizer.json"}
        }) {
      try (InputStream in =
          AllMiniLmL6V2QuantizedEmbeddingModel.class.getResourceAsStream("/" + entry[0])) {
        Files.copy(in, dir.resolve(entry[1]));
      }
    }
    io.airgap.core.signing.ModelSigner.builder()
        .key(SignedModels.KEY)
        .build()
        .sign(
            dir,
            dir.resolve("model.sig"),
            io.airgap.core.manifest.ModelHasher.builder().build(),
            List.of());
    return dir;
  }

  @BeforeAll
  static void sign() throws Exception {
    modelDir = signedMiniLm(temp.resolve("minilm"));
  }

  /** Token ids, mask and type ids of one sentence, as int64 [1, n] tensors. */
  static Map<String, Tensor> encode(HuggingFaceTokenizer tokenizer, String sentence) {
    Encoding encoding = tokenizer.encode(sentence);
    long[] shape = {1, encoding.getIds().length};
    return Map.of(
        "input_ids", Tensor.ofLongs(shape, encoding.getIds()),
        "attention_mask", Tensor.ofLongs(shape, encoding.getAttentionMask()),
        "token_type_ids", Tensor.ofLongs(shape, encoding.getTypeIds()));
  }

  /** Mean of the token vectors where the mask is 1, then L2-normalised. */
  static float[] meanPooled(Tensor hidden, long[] mask, int row) {
    long[] shape = hidden.shape();
    int tokens = (int) shape[1];
    int width = (int) shape[2];
    float[] values = hidden.floats();
    float[] sum = new float[width];
    int counted = 0;
    for (int t = 0; t < tokens; t++) {
      if (mask[row * tokens + t] == 0) {
        continue;
      }
      counted++;
      for (int d = 0; d < width; d++) {
        sum[d] += values[(row * tokens + t) * width + d];
      }
    }
    double norm = 0;
    for (int d = 0; d < width; d++) {
      sum[d] /= counted;
      norm += sum[d] * sum[d];
    }
    for (int d = 0; d < width; d++) {
      sum[d] /= (float) Math.sqrt(norm);
    }
    return sum;
  }

  static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
      na += a[i] * a[i];
      nb += b[i] * b[i];
    }
    return dot / Math.sqrt(na * nb);
  }

  @Test
  void verifiedEmbeddingsMatchLangChain4j() throws Exception {
    AllMiniLmL6V2QuantizedEmbeddingModel reference = new AllMiniLmL6V2QuantizedEmbeddingModel();
    try (VerifiedModel model = SignedModels.load(modelDir, temp.resolve("work"));
        InferenceSession session = InferenceSession.builder(model).open();
        HuggingFaceTokenizer tokenizer =
            HuggingFaceTokenizer.newInstance(
                model.file("tokenizer.json"), Map.of("padding", "false"))) {
      assertThat(session.inputs())
          .extracting(TensorSpec::name)
          .containsExactlyInAnyOrder("input_ids", "attention_mask", "token_type_ids");
      float[] previous = null;
      for (String sentence : SENTENCES) {
        Map<String, Tensor> inputs = encode(tokenizer, sentence);
        Tensor hidden = session.run(inputs).get("last_hidden_state");
        float[] ours = meanPooled(hidden, inputs.get("attention_mask").longs(), 0);
        float[] theirs = reference.embed(sentence).content().vector();

        assertThat(ours).hasSize(384);
        assertThat(cosine(ours, theirs)).as(sentence).isGreaterThanOrEqualTo(0.9999);
        if (previous != null) {
          // A different sentence is far off, so the comparison above can tell them apart.
          assertThat(cosine(ours, previous)).isLessThan(0.9);
        }
        previous = theirs;
      }
    }
  }
}

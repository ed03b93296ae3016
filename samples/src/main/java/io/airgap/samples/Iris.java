package io.airgap.samples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The samples' data: 75 rows of Fisher's Iris measurements (all three species), bundled as {@code
 * iris-reference.csv} (origin and licence in the README beside it).
 */
public final class Iris {
  /** The four measurements, in centimetres, in the model's input order. */
  public static final List<String> FEATURES =
      List.of("sepal_length", "sepal_width", "petal_length", "petal_width");

  /** The three species, in the model's output order. */
  public static final List<String> SPECIES = List.of("setosa", "versicolor", "virginica");

  private Iris() {}

  /** One measured flower. */
  public record Flower(float[] measurements, String species) {}

  /** The bundled rows, in file order. */
  public static List<Flower> reference() {
    try (InputStream in = Iris.class.getResourceAsStream("iris-reference.csv")) {
      if (in == null) {
        throw new IllegalStateException("iris-reference.csv is missing from the samples jar");
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      List<Flower> flowers = new ArrayList<>();
      reader.readLine(); // header
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        String[] cells = line.split(",");
        float[] measurements = new float[4];
        for (int i = 0; i < 4; i++) {
          measurements[i] = Float.parseFloat(cells[i]);
        }
        flowers.add(new Flower(measurements, cells[4]));
      }
      return flowers;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The rows as a recalibrated sensor would report them: petals read 30% longer and 0.4 cm wider.
   * Sepals are unchanged.
   */
  public static List<Flower> shifted(List<Flower> flowers) {
    List<Flower> shifted = new ArrayList<>();
    for (Flower flower : flowers) {
      float[] m = flower.measurements().clone();
      m[2] *= 1.3f;
      m[3] += 0.4f;
      shifted.add(new Flower(m, flower.species()));
    }
    return shifted;
  }

  /** A batch of rows as the model's input, {@code [rows, 4]} floats, row-major. */
  public static float[] batch(List<Flower> flowers) {
    float[] x = new float[flowers.size() * 4];
    for (int r = 0; r < flowers.size(); r++) {
      System.arraycopy(flowers.get(r).measurements(), 0, x, r * 4, 4);
    }
    return x;
  }

  /** One row of measurements and class probabilities, keyed by feature name, for a profile. */
  public static Map<String, Object> row(float[] measurements, float[] probabilities, int offset) {
    Map<String, Object> row = new LinkedHashMap<>();
    for (int i = 0; i < FEATURES.size(); i++) {
      row.put(FEATURES.get(i), (double) measurements[i]);
    }
    for (int k = 0; k < SPECIES.size(); k++) {
      row.put("p_" + SPECIES.get(k), (double) probabilities[offset + k]);
    }
    return row;
  }
}

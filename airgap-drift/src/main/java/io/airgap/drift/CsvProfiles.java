package io.airgap.drift;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import io.airgap.core.FormatException;
import io.airgap.core.InputException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Builds reference profiles from CSV files with a header row (RFC 4180 quoting, through Jackson's
 * CSV module). Empty cells are missing values; text in a numeric column is counted as invalid and
 * reported, never guessed at. Stateless and thread-safe.
 */
public final class CsvProfiles {
  private CsvProfiles() {}

  /**
   * Profiles the given columns of a CSV file, for {@link DriftProfile.Builder#buildFromCsv}.
   *
   * @param columns the columns to profile, or empty for all
   * @param categorical the columns to treat as categorical; every other one is numeric
   * @throws FormatException naming the file and line of a ragged row, an empty file, or a column
   *     that does not exist
   * @throws InputException when the file cannot be read
   */
  static List<FeatureProfile> reference(
      Path csv, List<String> columns, Set<String> categorical, DriftProfile.Settings settings) {
    Table table = read(csv, columns);
    List<FeatureProfile> features = new ArrayList<>();
    for (int c = 0; c < table.columns().size(); c++) {
      String name = table.columns().get(c);
      String[] cells = table.cells().get(c);
      if (categorical.contains(name)) {
        String[] values =
            Arrays.stream(cells).map(v -> v.isEmpty() ? null : v).toArray(String[]::new);
        CategoricalFeature feature =
            new CategoricalFeature(
                name, ReferenceProfiles.dictionary(values, settings.maxCategories()));
        for (String value : values) {
          feature.add(value);
        }
        features.add(feature);
      } else {
        features.add(numeric(csv, name, cells, settings.bins(), settings.exactLimit()));
      }
    }
    return features;
  }

  /**
   * Profiles a CSV file against a reference's frozen bins: the columns are the reference's
   * features, which the file must all have.
   *
   * @throws FormatException naming the file and line of a ragged row, an empty file, or a feature
   *     the file has no column for
   * @throws InputException when the file cannot be read
   */
  public static DriftProfile current(Path csv, DriftProfile reference) {
    List<String> names = reference.names();
    Table table = read(csv, names);
    DriftProfile live = reference.newLive();
    fill(live, names, table, 0, table.rows());
    return live;
  }

  /**
   * Profiles consecutive chunks of {@code chunkRows} rows of a CSV file against a reference's
   * frozen bins, for {@link DriftCalibration}; a last chunk shorter than the others is left out, so
   * every distance is measured at the same size.
   *
   * @throws IllegalArgumentException when {@code chunkRows} is not positive
   * @throws FormatException as for {@link #current}
   */
  public static List<DriftProfile> chunks(Path csv, DriftProfile reference, int chunkRows) {
    if (chunkRows < 1) {
      throw new IllegalArgumentException("chunk rows must be at least 1, not " + chunkRows);
    }
    List<String> names = reference.names();
    Table table = read(csv, names);
    List<DriftProfile> chunks = new ArrayList<>();
    for (int from = 0; from + chunkRows <= table.rows(); from += chunkRows) {
      DriftProfile chunk = reference.newLive();
      fill(chunk, names, table, from, from + chunkRows);
      chunks.add(chunk);
    }
    return chunks;
  }

  /** Records rows [from, to) of the table into a live profile. */
  private static void fill(DriftProfile live, List<String> names, Table table, int from, int to) {
    for (int c = 0; c < names.size(); c++) {
      String[] cells = table.cells().get(c);
      live.feature(names.get(c))
          .match(
              numeric -> {
                for (int r = from; r < to; r++) {
                  addCell(numeric, cells[r], parse(cells[r]));
                }
                return null;
              },
              categorical -> {
                for (int r = from; r < to; r++) {
                  categorical.add(cells[r].isEmpty() ? null : cells[r]);
                }
                return null;
              });
    }
  }

  /** Records a cell: empty is missing, text that is not a number invalid, else the number. */
  private static void addCell(NumericFeature feature, String cell, double parsed) {
    if (cell.isEmpty()) {
      feature.addMissing();
    } else if (Double.isNaN(parsed) && !cell.trim().equalsIgnoreCase("nan")) {
      feature.addInvalid();
    } else {
      feature.add(parsed);
    }
  }

  private static NumericFeature numeric(
      Path csv, String name, String[] cells, int bins, int exactLimit) {
    double[] parsed = new double[cells.length];
    for (int r = 0; r < cells.length; r++) {
      parsed[r] = parse(cells[r]);
    }
    double[] finite = Arrays.stream(parsed).filter(Double::isFinite).sorted().toArray();
    if (finite.length == 0) {
      throw new FormatException(
          "CSV " + csv + " column " + name + " has no finite number to freeze bins from");
    }
    NumericFeature feature =
        new NumericFeature(name, NumericBins.fromSortedValues(finite, bins), exactLimit);
    for (int r = 0; r < cells.length; r++) {
      addCell(feature, cells[r], parsed[r]);
    }
    return feature;
  }

  private static double parse(String cell) {
    if (cell.isEmpty()) {
      return Double.NaN;
    }
    try {
      return Double.parseDouble(cell.trim());
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  /** A CSV file read column by column. */
  private record Table(List<String> columns, List<String[]> cells) {
    int rows() {
      return cells.isEmpty() ? 0 : cells.get(0).length;
    }
  }

  private static Table read(Path csv, List<String> wanted) {
    CsvMapper mapper = new CsvMapper();
    mapper.enable(CsvParser.Feature.WRAP_AS_ARRAY);
    List<String[]> rows = new ArrayList<>();
    try (MappingIterator<String[]> iterator =
        mapper.readerFor(String[].class).readValues(csv.toFile())) {
      while (iterator.hasNext()) {
        rows.add(iterator.next());
      }
    } catch (IOException | RuntimeException e) {
      throw new InputException("cannot read CSV " + csv + ": " + e.getMessage(), e);
    }
    if (rows.isEmpty()) {
      throw new FormatException("CSV " + csv + " is empty: it needs a header row and data");
    }
    String[] header = rows.get(0);
    List<String> columns = wanted.isEmpty() ? List.of(header) : wanted;
    int[] index = new int[columns.size()];
    for (int c = 0; c < columns.size(); c++) {
      index[c] = List.of(header).indexOf(columns.get(c));
      if (index[c] < 0) {
        throw new FormatException("CSV " + csv + " has no column " + columns.get(c));
      }
    }
    List<String[]> cells = new ArrayList<>();
    for (int c = 0; c < columns.size(); c++) {
      cells.add(new String[rows.size() - 1]);
    }
    for (int r = 1; r < rows.size(); r++) {
      String[] row = rows.get(r);
      if (row.length != header.length) {
        throw new FormatException(
            "CSV "
                + csv
                + " line "
                + (r + 1)
                + " has "
                + row.length
                + " fields, the header has "
                + header.length);
      }
      for (int c = 0; c < columns.size(); c++) {
        cells.get(c)[r - 1] = row[index[c]];
      }
    }
    return new Table(columns, cells);
  }
}

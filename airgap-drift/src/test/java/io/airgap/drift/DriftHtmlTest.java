package io.airgap.drift;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The HTML report is self-contained and shows every feature. */
class DriftHtmlTest {
  @Test
  void pageIsSelfContainedWithOneHistogramPerFeature() {
    DriftProfile reference =
        DriftProfile.builder()
            .bins(3)
            .exactLimit(100)
            .maxCategories(10)
            .numeric("age", new double[] {20, 30, 40, 50, 60, 70})
            .categorical("kind<x>", new String[] {"a", "b", "b"})
            .build();
    DriftProfile current = reference.newLive();
    current.numeric("age").add(65);
    current.categorical("kind<x>").add("a");
    DriftReport report = DriftReport.compare(reference, current, MultipleTesting.Correction.NONE);

    String html = DriftHtml.render(report, reference, current);

    assertThat(externalReferences(html)).isEmpty();
    assertThat(html)
        .startsWith("<!DOCTYPE html>")
        .contains("<h2>age</h2>")
        .contains("<h2>kind&lt;x&gt;</h2>");
    assertThat(html.split("<svg ", -1)).hasSize(3);
    assertThat(html).contains("<p id=\"verdict\">");
    assertThat(html).doesNotContain("kind<x>");
  }

  /** The markers of anything a browser would fetch from outside the page. */
  private static List<String> externalReferences(String html) {
    String withoutSvgNamespace = html.replace("http://www.w3.org/2000/svg", "");
    return Stream.of("http://", "https://", "<script", "src=", "@import", "url(")
        .filter(withoutSvgNamespace::contains)
        .toList();
  }
}

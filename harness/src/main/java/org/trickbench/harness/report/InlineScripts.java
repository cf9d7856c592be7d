package org.trickbench.harness.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Properties;

/**
 * What the page carries inside its {@code <script>} elements: the ECharts library and our chart code,
 * read from the classpath, and the chart data as JSON escaped so that no string from data can end the
 * element or open a comment in it.
 */
final class InlineScripts {
    /** Where the WebJar records its version, which is part of the library's path inside it. */
    private static final String ECHARTS_POM = "META-INF/maven/org.webjars.npm/echarts/pom.properties";
    static final String CHARTS = "org/trickbench/harness/report/charts.js";

    private static String echarts;
    private static String charts;

    private InlineScripts() {}

    /** The ECharts library, minified. */
    static synchronized String echarts() {
        if (echarts == null) {
            Properties pom = new Properties();
            try {
                pom.load(new StringReader(resource(ECHARTS_POM)));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + ECHARTS_POM, e);
            }
            echarts = resource("META-INF/resources/webjars/echarts/" + pom.getProperty("version") + "/dist/echarts.min.js");
        }
        return echarts;
    }

    /** Our code that turns the embedded chart data into ECharts options. */
    static synchronized String charts() {
        if (charts == null) {
            charts = resource(CHARTS);
        }
        return charts;
    }

    /**
     * JSON made safe to stand inside a {@code <script>} element and to be read with
     * {@code JSON.parse}: '&lt;', '&gt;' and '&amp;' become \\u003c, \\u003e and \\u0026, so neither
     * {@code </script>} nor {@code <!--} can appear, and U+2028 and U+2029 are escaped too, as the
     * line terminators older JavaScript engines refuse in string literals. These characters are only
     * ever inside JSON strings, where the escapes mean the same characters.
     */
    static String json(String json) {
        StringBuilder b = new StringBuilder(json.length() + 64);
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            switch (c) {
                case '<', '>', '&', '\u2028', '\u2029' -> b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    private static String resource(String path) {
        try (InputStream in = InlineScripts.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException(path + " is not on the classpath; the build should bring it"
                        + " (org.webjars.npm:echarts for the library)");
            }
            return requireInlinable(path, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + " from the classpath", e);
        }
    }

    /**
     * Inlined code must not contain what would end its element or start an HTML comment in it; a
     * library upgrade that did would break the page silently, so it fails the report instead.
     */
    static String requireInlinable(String name, String script) {
        String lower = script.toLowerCase(Locale.ROOT);
        for (String bad : new String[] {"</script", "<!--", "<script"}) {
            if (lower.contains(bad)) {
                throw new IllegalStateException(name + " contains '" + bad + "' and cannot be inlined in a <script> element");
            }
        }
        return script;
    }
}

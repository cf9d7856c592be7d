package org.trickbench.harness.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class InlineScriptsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {"</script><script>window.__pwned=1</script>", "</SCRIPT >", "<!--<script>", "a & b > c",
            "line\u2028separator\u2029paragraph", "]]>", "\\u003c is already text"})
    void jsonForAScriptElementHoldsNoMarkupAndParsesBackToTheSameString(String hostile) throws IOException {
        String escaped = InlineScripts.json(JSON.writeValueAsString(Map.of("genotype", hostile, "tip", List.of(hostile))));

        for (String raw : List.of("<", ">", "&", "\u2028", "\u2029")) {
            assertFalse(escaped.contains(raw), raw + " left in " + escaped);
        }
        assertEquals(Map.of("genotype", hostile, "tip", List.of(hostile)), JSON.readValue(escaped, Map.class));
    }

    @Test
    void escapesAreJsonUnicodeEscapes() {
        assertEquals("\"\\u003c/script\\u003e\\u003c!--\\u0026\\u2028\\u2029\"",
                InlineScripts.json("\"</script><!--&\u2028\u2029\""));
        assertEquals("{\"a\":[1,2.5,null]}", InlineScripts.json("{\"a\":[1,2.5,null]}"), "structure is left alone");
    }

    @ParameterizedTest
    @ValueSource(strings = {"var a = '</script>';", "var a = '</SCRIPT';", "x = 1; <!-- y", "s = '<Script>'"})
    void codeThatCouldEndItsElementIsRefused(String code) {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> InlineScripts.requireInlinable("lib.js", code));
        assertTrue(e.getMessage().startsWith("lib.js contains"), e.getMessage());
    }

    @Test
    void theChartLibraryAndOurCodeComeFromTheClasspathAndCanBeInlined() {
        assertTrue(InlineScripts.echarts().length() > 500_000, "the full ECharts build");
        assertTrue(InlineScripts.echarts().contains("Apache"), "with its licence header");
        assertTrue(InlineScripts.charts().contains("report-charts"));
    }
}

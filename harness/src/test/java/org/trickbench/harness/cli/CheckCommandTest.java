package org.trickbench.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `bench check` end to end on a small matrix: baseline, pass, planted regression, bad baselines. */
class CheckCommandTest {
    @Test
    void baselinePassesAgainstItselfFailsOnAPlantedRegressionAndIsBitIdenticalAcrossRuns(@TempDir Path tmp) throws Exception {
        String m = AlgorithmsEndToEndTest.matrix("tricks");
        Path baseline = tmp.resolve("baseline.json");
        BenchCliTest.Result write = BenchCliTest.bench("check", "--matrix", m, "--baseline", baseline.toString(),
                "--update-baseline", "--device", "cpu", "--db", tmp.resolve("a.db").toString());
        assertEquals(0, write.code(), write.out() + write.err());

        Path junit = tmp.resolve("junit.xml");
        BenchCliTest.Result pass = BenchCliTest.bench("check", "--matrix", m, "--baseline", baseline.toString(), "--junit",
                junit.toString(), "--device", "cpu", "--db", tmp.resolve("b.db").toString());
        assertEquals(0, pass.code(), pass.out() + pass.err());
        assertTrue(pass.out().contains("PASS"), pass.out());
        assertTrue(Files.readString(junit).contains("failures=\"0\""));

        // From two empty databases the accuracies are bit-identical on CPU.
        Path again = tmp.resolve("again.json");
        BenchCliTest.bench("check", "--matrix", m, "--baseline", again.toString(), "--update-baseline", "--device", "cpu",
                "--db", tmp.resolve("b.db").toString());
        ObjectMapper json = new ObjectMapper();
        com.fasterxml.jackson.databind.JsonNode a = json.readTree(baseline.toFile()).get("configurations");
        com.fasterxml.jackson.databind.JsonNode b = json.readTree(again.toFile()).get("configurations");
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i).get("accuracyBySeed"), b.get(i).get("accuracyBySeed"), a.get(i).get("key").asText());
        }
        // The matrix must have learned something, or the check could not see a regression.
        assertTrue(a.findValues("0").stream().anyMatch(v -> v.asDouble() > 0.3), a.toString());

        // Raise one configuration's baseline accuracy by 10 points: the check must fail naming it.
        ObjectNode planted = (ObjectNode) json.readTree(baseline.toFile());
        ObjectNode first = (ObjectNode) planted.get("configurations").get(0);
        ObjectNode seeds = (ObjectNode) first.get("accuracyBySeed");
        java.util.List<String> names = new java.util.ArrayList<>();
        seeds.fieldNames().forEachRemaining(names::add);
        names.forEach(seed -> seeds.put(seed, seeds.get(seed).asDouble() + 0.10));
        Path raised = tmp.resolve("raised.json");
        json.writeValue(raised.toFile(), planted);
        BenchCliTest.Result fail = BenchCliTest.bench("check", "--matrix", m, "--baseline", raised.toString(), "--junit",
                junit.toString(), "--device", "cpu", "--db", tmp.resolve("b.db").toString());
        assertEquals(1, fail.code(), fail.out() + fail.err());
        String key = first.get("key").asText();
        assertTrue(fail.out().contains(key) && fail.out().contains("REGRESSION"), fail.out());
        String xml = Files.readString(junit);
        // Raising the base cell also flips the effects measured against it, so more cases may fail; this one must.
        assertTrue(xml.contains("name=\"" + key.replace("\"", "&quot;") + "\">\n    <failure message=\"REGRESSION"), xml);
    }

    @Test
    void aBaselineFromAnotherMatrixAMissingOneAndAMalformedOneExitTwo(@TempDir Path tmp) throws Exception {
        String m = AlgorithmsEndToEndTest.matrix("tricks");
        Path other = tmp.resolve("other.json");
        Files.writeString(other, "{\"matrix\":\"smoke\",\"codeVersion\":\"v\",\"environment\":{},\"createdAt\":\"t\",\"configurations\":[]}");
        BenchCliTest.Result wrong = BenchCliTest.bench("check", "--matrix", m, "--baseline", other.toString(), "--db",
                tmp.resolve("x.db").toString());
        assertEquals(2, wrong.code(), wrong.out() + wrong.err());
        assertTrue(wrong.err().contains("is for matrix 'smoke', not 'tricks'"), wrong.err());

        BenchCliTest.Result missing = BenchCliTest.bench("check", "--matrix", m, "--baseline", tmp.resolve("nope.json").toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("no such file"), missing.err());

        Path broken = tmp.resolve("broken.json");
        Files.writeString(broken, "{\"matrix\": \"tricks\", \"configurations\": [ {\"key\": ");
        BenchCliTest.Result malformed = BenchCliTest.bench("check", "--matrix", m, "--baseline", broken.toString());
        assertEquals(2, malformed.code());
        assertTrue(malformed.err().contains("not a TrickBench baseline"), malformed.err());
        assertTrue(!Files.exists(tmp.resolve("x.db")), "nothing runs before the baseline is known to be usable");
    }
}

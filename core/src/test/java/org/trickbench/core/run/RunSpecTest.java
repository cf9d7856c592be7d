package org.trickbench.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.trickbench.core.train.Fidelity;
import org.trickbench.core.train.Protocol;

class RunSpecTest {
    private static RunSpec spec(Map<String, Object> params, List<TrickSetting> tricks, long seed) {
        Fidelity f = new Fidelity(8, 1, 2, 2000, 16);
        return new RunSpec("fashion-mnist", "nb201", new AlgorithmSetting("random", params), tricks, f, f,
                Protocol.nasBench201(), seed);
    }

    @Test
    void idIsTheSha256OfTheCanonicalJsonAndIgnoresListingOrder() {
        Map<String, Object> ab = new LinkedHashMap<>();
        ab.put("a", 1);
        ab.put("b", 2);
        Map<String, Object> ba = new LinkedHashMap<>();
        ba.put("b", 2);
        ba.put("a", 1);
        TrickSetting cutout = new TrickSetting("cutout", Map.of());
        TrickSetting mixup = new TrickSetting("mixup", Map.of("alpha", 0.2));
        RunSpec x = spec(ab, List.of(cutout, mixup), 0);
        RunSpec y = spec(ba, List.of(mixup, cutout), 0);
        assertEquals(x.canonicalJson(), y.canonicalJson());
        assertEquals(x.id(), y.id());
        assertEquals(64, x.id().length());
        assertEquals(Canonical.sha256(x.canonicalJson()), x.id());
        assertNotEquals(x.id(), spec(ab, List.of(cutout, mixup), 1).id());
    }

    @Test
    void canonicalJsonRoundTrips() {
        RunSpec x = spec(Map.of("index", 3), List.of(), 5);
        RunSpec back = RunSpec.fromJson(x.canonicalJson());
        assertEquals(x.id(), back.id());
        assertEquals(3, ((Number) back.algorithm().params().get("index")).intValue());
        assertTrue(x.canonicalJson().startsWith("{\"algorithm\":"));
    }

    @Test
    void shortIdIsTheFirstTenHexDigits() {
        String id = Canonical.sha256("run");
        assertEquals(id.substring(0, 10), Canonical.shortId(id));
        assertTrue(id.startsWith(Canonical.shortId(id)));
        assertEquals("abc", Canonical.shortId("abc"), "an id shorter than ten characters stays whole");
        assertEquals("", Canonical.shortId(null));
    }
}

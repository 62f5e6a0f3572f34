package jqmail.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void nestsAndEscapes() {
        String s = new Json().beginObject().field("n", 3).name("a").beginArray().value("x\"y\\z\n").value(true)
            .endArray().field("c", "\u0001").endObject().toString();
        assertEquals("{\"n\":3,\"a\":[\"x\\\"y\\\\z\\n\",true],\"c\":\"\\u0001\"}", s);
    }
}

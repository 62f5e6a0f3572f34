package jqmail.common;

/**
 * A small JSON writer for the tools' {@code --json} output: no reflection,
 * no library. Values are appended in order; the caller keeps the nesting
 * right.
 */
public final class Json {
    private final StringBuilder b = new StringBuilder();
    private boolean needComma;

    public Json beginObject() {
        comma();
        b.append('{');
        needComma = false;
        return this;
    }

    public Json endObject() {
        b.append('}');
        needComma = true;
        return this;
    }

    public Json beginArray() {
        comma();
        b.append('[');
        needComma = false;
        return this;
    }

    public Json endArray() {
        b.append(']');
        needComma = true;
        return this;
    }

    public Json name(String name) {
        comma();
        string(name);
        b.append(':');
        needComma = false;
        return this;
    }

    public Json value(String s) {
        comma();
        if (s == null) {
            b.append("null");
        } else {
            string(s);
        }
        needComma = true;
        return this;
    }

    public Json value(long n) {
        comma();
        b.append(n);
        needComma = true;
        return this;
    }

    public Json value(boolean v) {
        comma();
        b.append(v);
        needComma = true;
        return this;
    }

    public Json field(String name, String s) {
        return name(name).value(s);
    }

    public Json field(String name, long n) {
        return name(name).value(n);
    }

    public Json field(String name, boolean v) {
        return name(name).value(v);
    }

    private void comma() {
        if (needComma) {
            b.append(',');
        }
    }

    private void string(String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || (c >= 0x7f && c <= 0xff)) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }

    @Override
    public String toString() {
        return b.toString();
    }
}

package dev.lookout.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigInteger;
import java.util.Locale;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

/** Turns a resolved YAML scalar into the JSON value kubectl would send for it. */
final class ScalarValues {
    private ScalarValues() {
    }

    static JsonNode toJson(ScalarNode node) {
        String text = node.getValue();
        Tag tag = node.getTag();
        if (Tag.NULL.equals(tag)) {
            return NullNode.getInstance();
        }
        if (Tag.BOOL.equals(tag)) {
            String t = text.toLowerCase(Locale.ROOT);
            return BooleanNode.valueOf(t.equals("true") || t.equals("yes") || t.equals("on") || t.equals("y"));
        }
        if (Tag.INT.equals(tag) && ManifestResolver.INT.matcher(text).matches()) {
            return numberOf(parseInt(text.replace("_", "")));
        }
        if (Tag.FLOAT.equals(tag) && ManifestResolver.FLOAT.matcher(text).matches()) {
            return DoubleNode.valueOf(parseFloat(text.replace("_", "")));
        }
        return TextNode.valueOf(text);
    }


    /** The smallest node that holds the value, as a JSON parser would produce it. */
    private static JsonNode numberOf(BigInteger value) {
        if (value.bitLength() < 32) {
            return JsonNodeFactory.instance.numberNode(value.intValue());
        }
        if (value.bitLength() < 64) {
            return JsonNodeFactory.instance.numberNode(value.longValue());
        }
        return JsonNodeFactory.instance.numberNode(value);
    }

    private static BigInteger parseInt(String text) {
        boolean negative = text.startsWith("-");
        String digits = text.startsWith("-") || text.startsWith("+") ? text.substring(1) : text;
        BigInteger value;
        if (digits.startsWith("0b")) {
            value = new BigInteger(digits.substring(2), 2);
        } else if (digits.startsWith("0x")) {
            value = new BigInteger(digits.substring(2), 16);
        } else if (digits.length() > 1 && digits.startsWith("0")) {
            value = new BigInteger(digits.substring(1), 8);
        } else {
            value = new BigInteger(digits);
        }
        return negative ? value.negate() : value;
    }

    private static double parseFloat(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        if (t.endsWith(".inf")) {
            return t.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (t.equals(".nan")) {
            return Double.NaN;
        }
        return Double.parseDouble(t);
    }
}

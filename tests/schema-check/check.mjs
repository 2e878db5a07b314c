// Usage: node check.mjs SCHEMA_DIR FILE...
// Prints one JSON line per file: {"file": ..., "schema": "procedure"|"overlay", "valid": bool, "errors": [...]}.
// Files are read as YAML 1.2 (core schema), the way editors with yaml-language-server read them.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv from "ajv";
import { parseDocument } from "yaml";

const [schemaDir, ...files] = process.argv.slice(2);
if (!schemaDir || files.length === 0) {
  console.error("usage: node check.mjs SCHEMA_DIR FILE...");
  process.exit(2);
}

const ajv = new Ajv({ allErrors: true, strict: false });
const load = (name) => ajv.compile(JSON.parse(readFileSync(join(schemaDir, name), "utf8")));
const validators = { procedure: load("procedure.schema.json"), overlay: load("overlay.schema.json") };

for (const file of files) {
  let result;
  try {
    const doc = parseDocument(readFileSync(file, "utf8"), { version: "1.2", uniqueKeys: true });
    if (doc.errors.length > 0) {
      result = { file, schema: null, valid: false, errors: doc.errors.map((e) => `yaml: ${e.message.split("\n")[0]}`) };
    } else {
      const value = doc.toJS();
      const kind = value && typeof value === "object" && !Array.isArray(value) && "overlay" in value ? "overlay" : "procedure";
      const validate = validators[kind];
      const valid = validate(value);
      result = { file, schema: kind, valid, errors: valid ? [] : validate.errors.map((e) => `${e.instancePath || "/"} ${e.message}`) };
    }
  } catch (e) {
    result = { file, schema: null, valid: false, errors: [`read: ${e.message}`] };
  }
  console.log(JSON.stringify(result));
}

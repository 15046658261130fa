// Parse a GIFT file with gift-pegjs (the parser behind several Moodle tools) and print JSON.
const fs = require("fs");
const path = require("path");
const { parse } = require(path.join(__dirname, "..", "..", "node_modules", "gift-pegjs"));
process.stdout.write(JSON.stringify(parse(fs.readFileSync(process.argv[2], "utf8"))));

#!/usr/bin/env python3
"""Embed files into a C source: gen_embed.py OUT.c ROOT FILE..."""
import os
import sys

out, root, files = sys.argv[1], sys.argv[2], sys.argv[3:]
with open(out, "w", encoding="ascii") as f:
    f.write('#include "wushe/embedded.h"\n#include <string.h>\n\n')
    names = []
    for i, path in enumerate(sorted(files)):
        data = open(path, "rb").read()
        name = os.path.relpath(path, root).replace(os.sep, "/")
        names.append((name, len(data)))
        f.write(f"static const char file_{i}[] = {{\n")
        for j in range(0, len(data), 16):
            f.write("".join(f"{b},"for b in data[j:j + 16]) + "\n")
        f.write("0};\n")
    f.write("const embedded_file embedded_files[] = {\n")
    for i, (name, n) in enumerate(names):
        f.write(f'    {{"{name}", file_{i}, {n}}},\n')
    f.write("};\n")
    f.write(f"const size_t embedded_count = {len(names)};\n\n")
    f.write("const embedded_file *embedded_find(const char *name)\n{\n"
            "    for (size_t i = 0; i < embedded_count; i++)\n"
            "        if (strcmp(embedded_files[i].name, name) == 0)\n"
            "            return &embedded_files[i];\n"
            "    return NULL;\n}\n")

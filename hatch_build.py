"""Build hook: the wheel ships a compiled plan of the bundled rules, so the first check after
`pip install .` is a plan-cache hit (engine/compile/cache.py looks in engine/bundled/plans/).

The plan is JSON data keyed by the content of the rules and of the compiler, so it matches the
installed package wherever it lands. If it cannot be built, the wheel is built without it (the first
run then compiles the rules and caches them).
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class BundledPlanHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version, build_data):
        if self.target_name != "wheel" or version != "standard":
            return  # an editable install reads the source tree and caches in the user's folder
        out = tempfile.mkdtemp(prefix="trialcheck-plan-")
        code = "import sys; from engine.compile.cache import write_bundled_plan; print(write_bundled_plan(sys.argv[1]))"
        env = dict(os.environ, PYTHONPATH=self.root, TRIALCHECK_CACHE="off")
        env.pop("TRIALCHECK_RULES", None)
        result = subprocess.run([sys.executable, "-c", code, out], cwd=self.root, env=env, capture_output=True, text=True)
        if result.returncode != 0:
            self.app.display_warning("trialcheck: no prebuilt plan in the wheel: " + result.stderr.strip()[-400:])
            return
        name = result.stdout.strip().splitlines()[-1]
        build_data["force_include"][os.path.join(out, name)] = f"engine/bundled/plans/{name}"

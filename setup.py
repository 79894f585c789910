"""Packaging (the metadata is in setup.cfg). The shipped clause library and example
council profiles stay at the repository's top level, where a checkout uses them; a built
package (wheel, sdist install, pipx) carries a copy of both in generator/_shipped/, where
generator/shipped.py finds them."""
from pathlib import Path
import shutil

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
SHIPPED = ("clause_library", "council_profiles")


class BuildWithShippedData(build_py):
    """build_py that also copies the shipped folders into the package."""

    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return   # an editable install reads the checkout's own folders
        for name in SHIPPED:
            source = HERE / name
            if not source.is_dir():
                raise SystemExit(f"{source} is missing: build from a complete checkout "
                                 "or sdist")
            target = Path(self.build_lib) / "generator" / "_shipped" / name
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(source, target,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc", ".*"))

    def get_outputs(self, include_bytecode=True):
        outputs = list(super().get_outputs(include_bytecode))
        base = Path(self.build_lib) / "generator" / "_shipped"
        for name in SHIPPED:
            outputs += [str(p) for p in (base / name).rglob("*") if p.is_file()]
        return outputs


setup(cmdclass={"build_py": BuildWithShippedData})

"""Build hook: the wheel carries compiled translations (.mo), so ``pip install .`` answers in
Russian and Kazakh with no extra command. Metadata lives in pyproject.toml."""

import importlib.util
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildPyWithTranslations(build_py):
    def run(self):
        super().run()
        spec = importlib.util.spec_from_file_location(
            "housing_aid_msgfmt", Path(__file__).resolve().parent / "housing_aid" / "msgfmt.py"
        )
        msgfmt = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(msgfmt)
        msgfmt.compile_tree(Path(self.build_lib))


setup(cmdclass={"build_py": BuildPyWithTranslations})

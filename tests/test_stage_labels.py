"""A stage is called by one name everywhere: the service's case model names its stages
(``STAGE_LABELS``), and its screens, the dashboards and the notifications read that name."""

from __future__ import annotations

import pytest
from django.utils import translation

from applications.models import Application, Stage
from housing_aid.registry import CASE_MODELS
from housing_aid.sla.selectors import stage_label


@pytest.mark.parametrize("language", ["ru", "kk", "en"])
def test_the_dashboard_names_each_stage_as_its_service_does(language):
    with translation.override(language):
        for model in CASE_MODELS:
            assert model.STAGE_LABELS, model
            for code, label in model.STAGE_LABELS.items():
                assert stage_label(model.SERVICE, code) == str(label)
        # the housing-assistance decision stage was "Decision" on the dashboard, "Notice or
        # refusal (signature)" on the case page
        assert stage_label(Application.SERVICE, "decision") == str(Stage.DECISION.label)


def test_a_case_opens_only_a_stage_its_service_names(db):
    from housing_aid.cases import open_stage

    with pytest.raises(ValueError, match="names no stage 'signing'"):
        open_stage(Application(pk=1), "signing", None, None)

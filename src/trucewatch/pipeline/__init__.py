"""The extraction pipeline: stages with one small contract, and the runner over the store."""

from trucewatch.pipeline.stage import Annotation, DocumentInput, Stage, StageOutput

__all__ = ["Annotation", "DocumentInput", "Stage", "StageOutput"]

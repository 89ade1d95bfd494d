from admissions.models.applications import Application, ApplicationStatus
from admissions.models.entries import DirectEntry, EntryStatus
from admissions.models.people import (
    Applicant,
    ApplicantDocument,
    DocumentKind,
    EducationRecord,
    IdentityDocumentType,
    Sex,
)

__all__ = [
    "Applicant",
    "ApplicantDocument",
    "Application",
    "ApplicationStatus",
    "DirectEntry",
    "DocumentKind",
    "EducationRecord",
    "EntryStatus",
    "IdentityDocumentType",
    "Sex",
]

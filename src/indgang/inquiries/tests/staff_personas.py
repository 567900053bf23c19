"""Named personas for the staff pages' access tests, on top of the accounts personas.

- `self.specialist`  Fagmedarbejder, member of the handling team (Ydelseskontoret)
- `self.colleague`   Fagmedarbejder in another team (Jobcenter)
- `self.clerk`       Borgerservicemedarbejder in the front-office team: sees only that another
                     team's inquiry exists
- `self.manager`     Leder, in no team: reads the access log, no inquiries
- `self.administrator` Administrator, in no team
- `self.root`        a superuser in no team: not exempt from the rules
- `self.citizen`     a user without staff status
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils import timezone

from indgang.accounts.tests.personas import StaffPersonasMixin
from indgang.catalogue.tests.factories import AuthorityFactory, DepartmentFactory, ServiceFactory

from .factories import InquiryFactory, TeamFactory

CPR = "0707614285"


class StaffInquiryPersonasMixin(StaffPersonasMixin):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        User = get_user_model()
        cls.colleague = User.objects.create_user(
            "colleague", password="password-for-tests", is_staff=True
        )
        cls.colleague.groups.add(cls.specialist.groups.get())
        cls.root = User.objects.create_superuser("root", password="password-for-tests")
        cls.department = DepartmentFactory(slug="ydelser", name="Ydelseskontoret")
        cls.team = TeamFactory(slug="ydelser", name="Ydelseskontoret", department=cls.department)
        cls.team.members.add(cls.specialist)
        cls.other_team = TeamFactory(slug="jobcenter", name="Jobcenter")
        cls.other_team.members.add(cls.colleague)
        cls.front_office = TeamFactory(slug="borgerservice", name="Borgerservice")
        cls.front_office.is_front_office = True
        cls.front_office.save()
        cls.front_office.members.add(cls.clerk)
        cls.service = ServiceFactory(
            slug="enkeltudgifter", title="Hjælp til enkeltudgifter", department=cls.department
        )
        cls.sensitive_service = ServiceFactory(
            slug="misbrug",
            title="Behandling for misbrug",
            department=cls.department,
            sensitive=True,
        )
        cls.other_authority_service = ServiceFactory(
            slug="boligstoette",
            title="Boligstøtte",
            department=None,
            authority=AuthorityFactory(slug="udbetaling-danmark", name="Udbetaling Danmark"),
        )
        today = timezone.localdate()
        cls.inquiry = InquiryFactory(
            team=cls.team,
            service=cls.service,
            subject="Tandlæge",
            description="Jeg har brug for hjælp til en tandlægeregning. Mit CPR er 070761-4285.",
            citizen_name="Karen Jensen",
            citizen_email="karen@example.dk",
            citizen_phone="20 30 40 50",
            citizen_cpr=CPR,
            due_on=today + timezone.timedelta(days=5),
        )
        cls.sensitive = InquiryFactory(
            team=cls.team,
            service=cls.sensitive_service,
            sensitive=True,
            description="Jeg vil gerne i behandling.",
            citizen_name="Ole Hansen",
            citizen_email="ole@example.dk",
            due_on=today + timezone.timedelta(days=5),
        )

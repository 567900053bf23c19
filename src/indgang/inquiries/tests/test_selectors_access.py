import datetime as dt

from django.contrib.auth.models import AnonymousUser
from django.test import TestCase
from django.utils import timezone

from indgang.inquiries.lifecycle import Channel, Status
from indgang.inquiries.selectors import (
    STATUS_ALL,
    Access,
    InboxFilters,
    inquiry_access,
    inquiry_get_for,
    inquiry_list_for,
    inquiry_status_counts_for,
)

from .factories import InquiryFactory
from .staff_personas import StaffInquiryPersonasMixin


class InquiryAccessTests(StaffInquiryPersonasMixin, TestCase):
    def test_the_handling_team_sees_everything_also_a_sensitive_inquiry(self):
        self.assertIs(inquiry_access(user=self.specialist, inquiry=self.inquiry), Access.FULL)
        self.assertIs(inquiry_access(user=self.specialist, inquiry=self.sensitive), Access.FULL)

    def test_another_team_sees_nothing(self):
        self.assertIs(inquiry_access(user=self.colleague, inquiry=self.inquiry), Access.NONE)
        self.assertIs(inquiry_access(user=self.colleague, inquiry=self.sensitive), Access.NONE)

    def test_a_front_office_clerk_of_another_team_sees_only_that_it_exists(self):
        self.assertIs(inquiry_access(user=self.clerk, inquiry=self.inquiry), Access.EXISTENCE)
        self.assertIs(inquiry_access(user=self.clerk, inquiry=self.sensitive), Access.EXISTENCE)

    def test_administrators_managers_and_superusers_are_not_exempt(self):
        for user in (self.administrator, self.manager, self.root):
            with self.subTest(user=user.username):
                self.assertIs(inquiry_access(user=user, inquiry=self.sensitive), Access.NONE)
                self.assertIs(inquiry_access(user=user, inquiry=self.inquiry), Access.NONE)

    def test_a_superuser_in_the_team_sees_it_like_any_member(self):
        self.team.members.add(self.root)
        self.assertIs(inquiry_access(user=self.root, inquiry=self.sensitive), Access.FULL)

    def test_citizens_anonymous_and_inactive_staff_see_nothing(self):
        self.specialist.is_active = False
        for user in (self.citizen, AnonymousUser(), self.specialist):
            with self.subTest(user=str(user)):
                self.assertIs(inquiry_access(user=user, inquiry=self.inquiry), Access.NONE)

    def test_an_unrouted_inquiry_is_the_front_offices(self):
        unrouted = InquiryFactory(team=None)
        self.assertIs(inquiry_access(user=self.clerk, inquiry=unrouted), Access.FULL)
        self.assertIs(inquiry_access(user=self.specialist, inquiry=unrouted), Access.NONE)

    def test_get_for_reads_the_reference_forgivingly_and_hides_what_it_may_not_show(self):
        typed = self.inquiry.reference.lower().replace("-", " ")
        self.assertEqual(
            inquiry_get_for(user=self.specialist, reference=typed), (self.inquiry, Access.FULL)
        )
        self.assertEqual(inquiry_get_for(user=self.colleague, reference=typed), (None, Access.NONE))
        self.assertEqual(
            inquiry_get_for(user=self.specialist, reference="nonsense"), (None, Access.NONE)
        )


class InquiryListForTests(StaffInquiryPersonasMixin, TestCase):
    def refs(self, user, **filters):
        return [i.reference for i in inquiry_list_for(user=user, filters=InboxFilters(**filters))]

    def test_staff_see_their_own_teams_inquiries_only(self):
        other = InquiryFactory(team=self.other_team)
        self.assertCountEqual(
            self.refs(self.specialist), [self.inquiry.reference, self.sensitive.reference]
        )
        self.assertEqual(self.refs(self.colleague), [other.reference])

    def test_nobody_outside_the_team_lists_it_not_even_a_superuser_or_clerk(self):
        for user in (self.clerk, self.manager, self.administrator, self.root, self.citizen):
            with self.subTest(user=user.username):
                self.assertNotIn(self.sensitive.reference, self.refs(user))
                self.assertNotIn(self.inquiry.reference, self.refs(user))

    def test_filters_by_status_channel_and_assignee(self):
        phone = InquiryFactory(team=self.team, channel=Channel.PHONE, assignee=self.specialist)
        closed = InquiryFactory(team=self.team, status=Status.CLOSED)
        self.assertEqual(self.refs(self.specialist, channel=Channel.PHONE), [phone.reference])
        self.assertEqual(self.refs(self.specialist, assigned="me"), [phone.reference])
        self.assertNotIn(phone.reference, self.refs(self.specialist, assigned="unassigned"))
        self.assertNotIn(closed.reference, self.refs(self.specialist))
        self.assertEqual(self.refs(self.specialist, status=Status.CLOSED), [closed.reference])
        self.assertIn(closed.reference, self.refs(self.specialist, status=STATUS_ALL))

    def test_filters_by_team_only_within_the_users_teams(self):
        self.assertEqual(self.refs(self.specialist, team=self.other_team.pk), [])

    def test_overdue_and_due_today_use_the_local_date(self):
        today = timezone.localdate()
        late = InquiryFactory(team=self.team, due_on=today - dt.timedelta(days=1))
        due = InquiryFactory(team=self.team, due_on=today)
        InquiryFactory(team=self.team, due_on=today - dt.timedelta(days=3), status=Status.ANSWERED)
        self.assertEqual(self.refs(self.specialist, due="overdue"), [late.reference])
        self.assertEqual(self.refs(self.specialist, due="today"), [due.reference])

    def test_sorts_by_answer_date_with_undated_last(self):
        today = timezone.localdate()
        undated = InquiryFactory(team=self.team, due_on=None)
        early = InquiryFactory(team=self.team, due_on=today)
        refs = self.refs(self.specialist)
        self.assertEqual(refs[0], early.reference)
        self.assertEqual(refs[-1], undated.reference)
        latest_first = self.refs(self.specialist, sort="-due")
        self.assertEqual(latest_first[-2:], [early.reference, undated.reference])

    def test_search_covers_reference_text_and_citizen(self):
        for q in ("tandlæge", "KAREN", "karen@example", self.inquiry.reference.lower()):
            with self.subTest(q=q):
                self.assertEqual(self.refs(self.specialist, q=q), [self.inquiry.reference])
        self.assertEqual(self.refs(self.specialist, q="findes ikke"), [])

    def test_counts_per_status_in_one_query(self):
        InquiryFactory(team=self.team, status=Status.CLOSED)
        InquiryFactory(team=self.other_team)
        with self.assertNumQueries(3):  # teams, groups, the counts
            counts = inquiry_status_counts_for(user=self.specialist)
        self.assertEqual(counts[Status.RECEIVED], 2)
        self.assertEqual(counts[Status.CLOSED], 1)
        self.assertEqual((counts["open"], counts["all"]), (2, 3))

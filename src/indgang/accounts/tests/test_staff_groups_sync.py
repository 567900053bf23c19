from django.contrib.auth.models import Group
from django.test import TestCase

from indgang.accounts.services import STAFF_GROUPS, staff_groups_sync

from .personas import StaffPersonasMixin


class StaffGroupsSyncTests(StaffPersonasMixin, TestCase):
    def test_it_creates_the_four_staff_groups(self):
        self.assertEqual(set(Group.objects.values_list("name", flat=True)), set(STAFF_GROUPS))

    def test_it_is_idempotent_and_restores_removed_permissions(self):
        clerk_group = Group.objects.get(name="Borgerservicemedarbejder")
        before = set(clerk_group.permissions.values_list("codename", flat=True))
        clerk_group.permissions.clear()
        staff_groups_sync()
        staff_groups_sync()
        self.assertEqual(set(clerk_group.permissions.values_list("codename", flat=True)), before)
        self.assertEqual(Group.objects.count(), 4)

    def test_a_clerk_may_close_a_counter_for_a_day_but_not_change_the_week(self):
        self.assertTrue(self.clerk.has_perm("places.add_hoursexception"))
        self.assertFalse(self.clerk.has_perm("places.change_weeklyhours"))
        self.assertFalse(self.clerk.has_perm("catalogue.change_service"))

    def test_department_staff_may_edit_services_but_not_hours(self):
        self.assertTrue(self.specialist.has_perm("catalogue.change_service"))
        self.assertFalse(self.specialist.has_perm("catalogue.delete_service"))
        self.assertFalse(self.specialist.has_perm("places.change_weeklyhours"))

    def test_a_manager_decides_opening_hours(self):
        self.assertTrue(self.manager.has_perm("places.change_weeklyhours"))
        self.assertTrue(self.manager.has_perm("places.add_closingday"))
        self.assertFalse(self.manager.has_perm("catalogue.change_service"))

    def test_an_administrator_keeps_the_catalogue_and_staff_accounts(self):
        self.assertTrue(self.administrator.has_perm("catalogue.delete_service"))
        self.assertTrue(self.administrator.has_perm("auth.add_user"))

    def test_nobody_may_edit_the_change_history(self):
        for user in (self.administrator, self.clerk, self.specialist, self.manager):
            self.assertFalse(user.has_perm("catalogue.change_historicalservice"))

    def test_managers_and_administrators_read_the_wayfinders_unanswered_searches(self):
        for user in (self.administrator, self.manager):
            self.assertTrue(user.has_perm("wayfinder.view_wayfinderquery"))
            self.assertFalse(user.has_perm("wayfinder.delete_wayfinderquery"))
        for user in (self.clerk, self.specialist):
            self.assertFalse(user.has_perm("wayfinder.view_wayfinderquery"))

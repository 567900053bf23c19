from django.test import RequestFactory, SimpleTestCase, override_settings

from indgang.lib.http import client_address


def request(remote="10.0.0.1", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


class ClientAddressTests(SimpleTestCase):
    @override_settings(NUM_PROXIES=0)
    def test_without_proxies_a_forged_header_is_ignored(self):
        self.assertEqual(client_address(request(forwarded="1.2.3.4")), "10.0.0.1")

    @override_settings(NUM_PROXIES=1)
    def test_behind_one_proxy_the_address_it_saw_counts(self):
        self.assertEqual(client_address(request(forwarded="6.6.6.6, 198.51.100.7")), "198.51.100.7")

    @override_settings(NUM_PROXIES=2)
    def test_behind_two_proxies_the_outer_ones_entry_counts(self):
        forwarded = "6.6.6.6, 198.51.100.7, 10.1.1.1"
        self.assertEqual(client_address(request(forwarded=forwarded)), "198.51.100.7")

    @override_settings(NUM_PROXIES=1)
    def test_a_missing_or_empty_header_falls_back_to_the_connection(self):
        self.assertEqual(client_address(request()), "10.0.0.1")
        self.assertEqual(client_address(request(forwarded=" , ")), "10.0.0.1")

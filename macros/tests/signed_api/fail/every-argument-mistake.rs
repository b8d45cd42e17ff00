use signed_api::{Result, signed_api};

// Each mistake in the macro's arguments is reported, and reading goes on after it: the
// arguments that follow a mistake are still checked, and the ones that could be read still
// count (the path below is read, so its unbound `{id}` is reported too).
#[signed_api(client = MyClient, scheme = "ovh", retries = 3)]
pub trait Api {
    #[get("/records/{id}", retry, unsigned, timeout = "soon", unsigned)]
    async fn record(&self) -> Result<String>;
}

fn main() {}

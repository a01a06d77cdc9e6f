package dev.syscope.container;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Cgroup paths as runtimes make them (shapes from real hosts: docker, k8s with either driver, CRI-O, podman). */
class ContainerPathsTest {
    static final String A = "9ec39b91f3d70e1beff50a308f77067065ea6be0d91a3378375056cd4422cf3d";
    static final String B = "34dc0b5e626f2c5c4c5170e34b10e7654ce36f0fcd532739f4445baabea03376";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            # path or /proc/PID/cgroup line                                                           | id | runtime    | pod uid
            /system.slice/docker-ID_A.scope                                                           | A  | docker     | -
            0::/system.slice/docker-ID_A.scope                                                        | A  | docker     | -
            /docker/ID_A                                                                              | A  | docker     | -
            12:pids:/docker/ID_A                                                                      | A  | docker     | -
            2:cpuacct,cpu:/system.slice/docker-ID_A.scope                                             | A  | docker     | -
            1:name=systemd:/docker/ID_A/init.scope                                                    | A  | docker     | -
            /docker/ID_A/docker/ID_B                                                                  | B  | docker     | -
            /kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1b2c3d4e_5f60_4718_9a2b_3c4d5e6f7081.slice/cri-containerd-ID_B.scope | B | containerd | 1b2c3d4e-5f60-4718-9a2b-3c4d5e6f7081
            /kubepods.slice/kubepods-pod1b2c3d4e_5f60_4718_9a2b_3c4d5e6f7081.slice/crio-ID_B.scope    | B  | cri-o      | 1b2c3d4e-5f60-4718-9a2b-3c4d5e6f7081
            /kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod1b2c3d4e_5f60_4718_9a2b_3c4d5e6f7081.slice/crio-conmon-ID_B.scope | B | cri-o | 1b2c3d4e-5f60-4718-9a2b-3c4d5e6f7081
            /kubepods.slice/kubepods-pod1b2c3d4e_5f60_4718_9a2b_3c4d5e6f7081.slice/docker-ID_A.scope  | A  | docker     | 1b2c3d4e-5f60-4718-9a2b-3c4d5e6f7081
            11:devices:/kubepods/besteffort/pod74c13223-5a00-11e9-b385-42010a80018d/ID_B              | B  | cri        | 74c13223-5a00-11e9-b385-42010a80018d
            /kubepods/pod74c13223-5a00-11e9-b385-42010a80018d/ID_B                                    | B  | cri        | 74c13223-5a00-11e9-b385-42010a80018d
            /kubepods/burstable/pod74c13223-5a00-11e9-b385-42010a80018d/crio-ID_B                     | B  | cri-o      | 74c13223-5a00-11e9-b385-42010a80018d
            /machine.slice/libpod-ID_A.scope                                                          | A  | podman     | -
            /user.slice/user-1000.slice/user@1000.service/user.slice/libpod-ID_A.scope/container      | A  | podman     | -
            /machine.slice/libpod-conmon-ID_A.scope                                                   | A  | podman     | -
            5:memory:/libpod_parent/libpod-ID_A                                                       | A  | podman     | -
            /ID_A                                                                                     | A  | unknown    | -
            """)
    void recognisesContainers(String path, String id, String runtime, String pod) {
        Container c = ContainerPaths.parse(path.replace("ID_A", A).replace("ID_B", B));
        assertThat(c.id()).isEqualTo(id.equals("A") ? A : B);
        assertThat(c.runtime()).isEqualTo(runtime);
        assertThat(c.podUid()).isEqualTo(pod);
        assertThat(c.shortIdText()).hasSize(12);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            /
            0::/
            0::/init.scope
            /system.slice/docker.service
            /system.slice/containerd.service
            /user.slice/user-1000.slice/session-3.scope
            /kubepods.slice/kubepods-burstable.slice
            /kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1b2c3d4e_5f60_4718_9a2b_3c4d5e6f7081.slice
            /system.slice/docker-9ec39b91f3d7.scope
            /system.slice/docker-9EC39B91F3D70E1BEFF50A308F77067065EA6BE0D91A3378375056CD4422CF3D.scope
            /docker/not-an-id
            12:pids
            garbage
            """)
    void hostPathsNameNoContainer(String path) {
        assertThat(ContainerPaths.parse(path)).isSameAs(Container.HOST);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            /system.slice/docker-ID.scope | ,"container_id":"ID","container_runtime":"docker"
            /kubepods/burstable/pod74c13223-5a00-11e9-b385-42010a80018d/ID | ,"container_id":"ID","container_runtime":"cri","pod_uid":"74c13223-5a00-11e9-b385-42010a80018d"
            /user.slice |
            """)
    void encodesTheJsonFieldsOnce(String path, String json) {
        Container c = ContainerPaths.parse(path.replace("ID", A));
        assertThat(new String(c.jsonFields())).isEqualTo(json == null ? "" : json.replace("ID", A));
    }
}
